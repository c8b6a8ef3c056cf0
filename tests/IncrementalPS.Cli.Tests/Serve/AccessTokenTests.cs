using System;
using System.IO;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class AccessTokenTests
{
    [Fact]
    public void The_token_is_the_first_line_of_its_file_and_matches_only_itself()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("token");
        File.WriteAllText(file, "  abcdefghijklmnopqrstuvwxyz012345 \nsecond line\n");

        var token = AccessToken.Load(file)!;

        Assert.True(token.Matches("abcdefghijklmnopqrstuvwxyz012345"));
        Assert.False(token.Matches("abcdefghijklmnopqrstuvwxyz01234"));
        Assert.False(token.Matches("abcdefghijklmnopqrstuvwxyz0123456"));
        Assert.False(token.Matches("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"));
        Assert.False(token.Matches(string.Empty));
        Assert.False(token.Matches(null));
    }

    [Fact]
    public void A_missing_token_file_is_a_usage_error_naming_it()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("no-such-token");

        var error = Assert.Throws<UsageException>(() => AccessToken.Load(file));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_short_token_is_refused_without_showing_it()
    {
        using var directory = new TempDirectory();
        var file = directory.Combine("token");
        File.WriteAllText(file, "hunter2\n");

        var error = Assert.Throws<UsageException>(() => AccessToken.Load(file));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
