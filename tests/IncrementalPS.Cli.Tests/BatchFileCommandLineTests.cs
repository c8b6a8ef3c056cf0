using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// Items passed to a .cmd/.bat file on Windows must reach it as text, never as cmd.exe syntax ("BatBadBut"). The
/// command line is built here and checked as a string (cmd.exe itself does not exist on Linux).
/// </summary>
public sealed class BatchFileCommandLineTests
{
    private const string Script = @"C:\tools\convert.cmd";

    [Theory]
    [InlineData("a&calc", "\"a&calc\"")]
    [InlineData("a|b", "\"a|b\"")]
    [InlineData("x>y", "\"x>y\"")]
    [InlineData("a^b", "\"a^b\"")]
    [InlineData("(a)", "\"(a)\"")]
    [InlineData("with space", "\"with space\"")]
    [InlineData("a,b;c=d", "\"a,b;c=d\"")]
    [InlineData("bang!", "\"bang!\"")]
    [InlineData("", "\"\"")]
    [InlineData(@"C:\photos\a.jpg", @"C:\photos\a.jpg")]
    public void An_item_that_cmd_would_read_as_syntax_is_quoted(string item, string expected)
    {
        var line = BatchFileCommandLine.Build([Script, "--in", item]);

        Assert.Equal($"/d /e:ON /v:OFF /s /c \"\"{Script}\" --in {expected}\"", line);
    }

    [Theory]
    [InlineData(@"C:\my dir\", @"""C:\my dir\\""")]
    [InlineData(@"C:\dir\", @"""C:\dir\\""")]
    [InlineData(@"a\\", @"""a\\\\""")]
    public void An_item_ending_in_backslashes_keeps_them_before_the_closing_quote(string item, string expected)
    {
        // A batch file that passes "%1" or %* on to a program: \" would be a literal quote to that program's parser.
        var line = BatchFileCommandLine.Build([Script, item, "next"]);

        Assert.Equal($"/d /e:ON /v:OFF /s /c \"\"{Script}\" {expected} next\"", line);
    }

    [Theory]
    [InlineData("%PATH%")]
    [InlineData("50%")]
    [InlineData("say \"hi\"")]
    [InlineData("two\rlines")]
    [InlineData("two\nlines")]
    public void An_item_that_even_quotes_do_not_protect_fails_that_item_without_running(string item)
    {
        var error = Assert.Throws<CommandFailedException>(() => BatchFileCommandLine.Build([Script, item]));

        Assert.Contains("batch file", error.Message, StringComparison.Ordinal);
        Assert.Null(error.ExitCode);
    }

    [Theory]
    [InlineData("convert.cmd")]
    [InlineData("RUN.BAT")]
    [InlineData(@"C:\x\y.Cmd")]
    [InlineData("run.bat.")]
    [InlineData("run.cmd . ")]
    public void Cmd_and_bat_files_are_batch_files(string program) => Assert.True(BatchFileCommandLine.IsBatchFile(program));

    [Theory]
    [InlineData("convert.exe")]
    [InlineData("convert")]
    [InlineData("script.cmdx")]
    public void Other_programs_are_not(string program) => Assert.False(BatchFileCommandLine.IsBatchFile(program));
}
