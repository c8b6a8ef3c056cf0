using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class ListenAddressTests
{
    [Theory]
    [InlineData("127.0.0.1:8470")]
    [InlineData("127.1.2.3:80")]
    [InlineData("localhost:8470")]
    [InlineData("[::1]:8470")]
    public void Loopback_addresses_are_loopback_and_answer_localhost_too(string text)
    {
        var address = ListenAddress.Parse(text);

        Assert.True(address.IsLoopback);
        Assert.Contains($"http://localhost:{address.Port}/", address.Prefixes);
    }

    [Theory]
    [InlineData("0.0.0.0:8470", "http://+:8470/")]
    [InlineData("[::]:8470", "http://+:8470/")]
    [InlineData("192.168.1.20:9000", "http://192.168.1.20:9000/")]
    [InlineData("build-box:9000", "http://build-box:9000/")]
    public void Other_addresses_are_not_loopback(string text, string prefix)
    {
        var address = ListenAddress.Parse(text);

        Assert.False(address.IsLoopback);
        Assert.Equal(new[] { prefix }, address.Prefixes);
    }

    [Theory]
    [InlineData("8470")]
    [InlineData(":8470")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:65536")]
    [InlineData("127.0.0.1:-1")]
    [InlineData("::1:8470")]
    public void Anything_but_host_and_port_is_a_usage_error(string text)
    {
        var error = Assert.Throws<UsageException>(() => ListenAddress.Parse(text));

        Assert.Contains("host:port", error.Message, System.StringComparison.Ordinal);
    }
}
