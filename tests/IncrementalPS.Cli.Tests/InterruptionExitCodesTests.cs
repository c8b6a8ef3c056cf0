using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// A command that died of the user's stop request is not a failed item: on Windows the console sends Ctrl+C to the
/// commands too, and they exit with STATUS_CONTROL_C_EXIT (0xC000013A), not 130.
/// </summary>
public sealed class InterruptionExitCodesTests
{
    [Theory]
    [InlineData(130)]
    [InlineData(143)]
    [InlineData(unchecked((int)0xC000013A))]
    public void Exit_codes_of_a_stop_request_are_interruptions(int exitCode)
        => Assert.True(InterruptionExitCodes.IsInterruption(exitCode));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(137)]
    [InlineData(-1)]
    [InlineData(unchecked((int)0xC0000005))]
    public void Other_exit_codes_are_failures(int exitCode)
        => Assert.False(InterruptionExitCodes.IsInterruption(exitCode));
}
