namespace IncrementalPS.Cli;

/// <summary>The exit codes incps documents; scripts and systemd units rely on them.</summary>
internal static class ExitCodes
{
    /// <summary>Every item is done, in this run or an earlier one.</summary>
    public const int Success = 0;

    /// <summary>Some items failed, or were not run because the store cannot hold their key; the checkpoint is kept so that they can be retried.</summary>
    public const int ItemsFailed = 1;

    /// <summary>Nothing ran: bad usage, a checkpoint held by a live run, a damaged checkpoint. Nothing was changed.</summary>
    public const int CouldNotRun = 2;

    /// <summary>
    /// The run started, then stopped on an error of the checkpoint or the input (a full disk): what it recorded before
    /// is kept, and the next run resumes from there.
    /// </summary>
    public const int StoppedByError = 3;

    /// <summary>
    /// Suspended on request (incps suspend, Suspend-Checkpoint): the items in flight were recorded, nothing new started.
    /// Running the same command again resumes.
    /// </summary>
    public const int Suspended = 4;

    /// <summary>
    /// Stopped for later: a command exited with the --stop-exit-code (a rate limit, say). Its item is unfinished and runs
    /// again next time; no new item was started, the ones in flight finished and were recorded. 75 is sysexits.h's
    /// EX_TEMPFAIL, "try again later".
    /// </summary>
    public const int StoppedForLater = 75;

    /// <summary>Stopped by SIGINT or SIGTERM, with the checkpoint flushed and marked interrupted.</summary>
    public const int Interrupted = 130;
}
