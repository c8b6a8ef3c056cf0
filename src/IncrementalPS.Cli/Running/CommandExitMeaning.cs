namespace IncrementalPS.Cli;

/// <summary>What a command's exit says about its item (see <see cref="CommandExit.Classify"/>).</summary>
internal enum CommandExitMeaning
{
    /// <summary>Exit code 0 while the run goes on: the item is done.</summary>
    Succeeded,

    /// <summary>It ended while the run was stopping: left unfinished, to run again on resume.</summary>
    Interrupted,

    /// <summary>An exit code of a stop request (130, 143, 0xC000013A) before incps saw the stop itself.</summary>
    PossiblyInterrupted,

    /// <summary>Killed by --timeout.</summary>
    TimedOut,

    /// <summary>Any other exit: the item failed.</summary>
    Failed,
}
