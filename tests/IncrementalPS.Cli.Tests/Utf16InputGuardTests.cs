using System;
using System.IO;
using System.Text;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// A list written by Windows PowerShell 5.1 (<c>&gt;</c>, Out-File) is UTF-16 with a byte-order mark; read as UTF-8
/// every key would be wrong. It is refused with a message saying how to write UTF-8; other input passes unchanged.
/// </summary>
public sealed class Utf16InputGuardTests
{
    [Theory]
    [InlineData("utf-16")]
    [InlineData("utf-16BE")]
    public void Utf16_input_is_refused_with_a_message_that_says_how_to_write_utf8(string encoding)
    {
        var bytes = Encoding.GetEncoding(encoding).GetPreamble();
        using var guard = new Utf16InputGuard(new MemoryStream([.. bytes, .. Encoding.GetEncoding(encoding).GetBytes("a\r\nb\r\n")]));

        var error = Assert.Throws<IOException>(() => guard.Read(new byte[16], 0, 16));

        Assert.Contains("UTF-16", error.Message, StringComparison.Ordinal);
        Assert.Contains("-Encoding utf8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a")]
    [InlineData("\uFEFFwith a UTF-8 mark\n")]
    [InlineData("caf\u00e9\nb\n")]
    public void Other_input_passes_byte_for_byte(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        using var guard = new Utf16InputGuard(new MemoryStream(bytes));
        using var copy = new MemoryStream();

        guard.CopyTo(copy, 1);

        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public void Incps_refuses_a_utf16_list_and_runs_nothing()
    {
        using var job = new Job();
        using var run = job.Start(Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand()));
        var utf16 = Encoding.Unicode;
        run.Input.BaseStream.Write([.. utf16.GetPreamble(), .. utf16.GetBytes("a\r\nb\r\n")]);
        run.Input.Close();
        var result = run.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(result.ExitCode == ExitCodes.StoppedByError, result.ToString());
        Assert.Contains("UTF-16", result.Stderr, StringComparison.Ordinal);
        Assert.Empty(job.Executions());
        Assert.False(job.Location.Exists);
    }
}
