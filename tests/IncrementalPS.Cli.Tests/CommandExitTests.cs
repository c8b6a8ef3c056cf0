using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// A command that ends while the run is stopping was reached by the same Ctrl+C (on Windows the console sends it to
/// every attached process): whatever its exit code, its item is left unfinished, never recorded done or failed.
/// </summary>
public sealed class CommandExitTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(130)]
    [InlineData(unchecked((int)0xC000013A))]
    public void Any_exit_while_the_run_stops_leaves_the_item_unfinished(int exitCode)
        => Assert.Equal(CommandExitMeaning.Interrupted, CommandExit.Classify(exitCode, stopRequested: true, timedOut: true));

    [Fact]
    public void Exit_zero_while_the_run_goes_on_is_success()
        => Assert.Equal(CommandExitMeaning.Succeeded, CommandExit.Classify(0, stopRequested: false, timedOut: false));

    [Theory]
    [InlineData(137)]
    [InlineData(-1)]
    public void A_command_killed_by_its_timeout_timed_out(int exitCode)
        => Assert.Equal(CommandExitMeaning.TimedOut, CommandExit.Classify(exitCode, stopRequested: false, timedOut: true));

    [Fact]
    public void A_command_that_exited_zero_as_its_timeout_fired_finished_its_work()
        => Assert.Equal(CommandExitMeaning.Succeeded, CommandExit.Classify(0, stopRequested: false, timedOut: true));

    [Theory]
    [InlineData(130)]
    [InlineData(143)]
    [InlineData(unchecked((int)0xC000013A))]
    public void A_stop_exit_code_before_incps_saw_the_stop_may_be_an_interruption(int exitCode)
        => Assert.Equal(CommandExitMeaning.PossiblyInterrupted, CommandExit.Classify(exitCode, stopRequested: false, timedOut: false));

    [Fact]
    public void Other_exit_codes_fail_the_item()
        => Assert.Equal(CommandExitMeaning.Failed, CommandExit.Classify(2, stopRequested: false, timedOut: false));
}
