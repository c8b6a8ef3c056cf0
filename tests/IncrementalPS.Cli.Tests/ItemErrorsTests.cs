using System;
using System.ComponentModel;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class ItemErrorsTests
{
    [Fact]
    public void A_non_zero_exit_is_recorded_with_its_code_and_the_stderr_tail()
    {
        var error = ItemErrors.Describe(new CommandFailedException(3, "convert: no such file\nat line 2"));

        Assert.Equal("exit code 3: convert: no such file\nat line 2", error.Message);
        Assert.Equal("ExitCode", error.Type);
        Assert.Equal("3", error.Category);
    }

    [Fact]
    public void A_program_that_could_not_start_is_recorded_as_StartFailed()
    {
        var error = ItemErrors.Describe(new CommandFailedException("could not start 'x': denied", new Win32Exception(13)));

        Assert.Equal("StartFailed", error.Type);
        Assert.Null(error.Category);
    }

    [Fact]
    public void Any_other_exception_is_described_by_its_type()
    {
        var error = ItemErrors.Describe(new InvalidOperationException("boom"));

        Assert.Equal(typeof(InvalidOperationException).FullName, error.Type);
        Assert.Equal("boom", error.Message);
    }
}
