namespace IncrementalPS.Cli;

/// <summary>Decides what a command's exit means for its item.</summary>
internal static class CommandExit
{
    /// <summary>
    /// The stop comes first, whatever the exit code: a terminal's Ctrl+C (on Windows, the console's, sent to every
    /// process attached to it) reaches the command as well as incps, and a command cut short by it may exit 0 —
    /// <c>pwsh -File</c> does — or 1. Running an item again is safe; recording work that was cut short as done is not.
    /// </summary>
    public static CommandExitMeaning Classify(int exitCode, bool stopRequested, bool timedOut)
    {
        if (stopRequested)
        {
            return CommandExitMeaning.Interrupted;
        }

        // Exit code 0 is the command's own finish, never the kill's (137 on Unix, -1 on Windows): a command that ended
        // just as its timeout fired did its work.
        if (exitCode == 0)
        {
            return CommandExitMeaning.Succeeded;
        }

        if (timedOut)
        {
            return CommandExitMeaning.TimedOut;
        }

        return InterruptionExitCodes.IsInterruption(exitCode) ? CommandExitMeaning.PossiblyInterrupted : CommandExitMeaning.Failed;
    }
}
