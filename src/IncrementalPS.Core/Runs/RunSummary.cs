using System;

namespace IncrementalPS.Core;

/// <summary>What a run did, returned by <see cref="CheckpointSession.Finish"/>.</summary>
internal sealed class RunSummary
{
    internal RunSummary(
        string name, string filePath, CheckpointState state, long seen, long completed, long failed, long skipped,
        long skippedFailed, long failedInCheckpoint, TimeSpan elapsed, bool checkpointRemoved)
    {
        Name = name;
        FilePath = filePath;
        State = state;
        Seen = seen;
        Completed = completed;
        Failed = failed;
        Skipped = skipped;
        SkippedFailed = skippedFailed;
        FailedInCheckpoint = failedInCheckpoint;
        Elapsed = elapsed;
        CheckpointRemoved = checkpointRemoved;
    }

    /// <summary>The checkpoint's name.</summary>
    public string Name { get; }

    /// <summary>The checkpoint file.</summary>
    public string FilePath { get; }

    /// <summary>Completed when every known item is done; Failed when some items failed; Interrupted when some were left unfinished; Suspended when the run was asked to stop after its items in flight.</summary>
    public CheckpointState State { get; }

    /// <summary>Items handed to the run.</summary>
    public long Seen { get; }

    /// <summary>Items completed in this run.</summary>
    public long Completed { get; }

    /// <summary>Items that failed in this run (including poisoned ones).</summary>
    public long Failed { get; }

    /// <summary>Items skipped: done in an earlier run, failed earlier and not retried, or repeated keys.</summary>
    public long Skipped { get; }

    /// <summary>Of <see cref="Skipped"/>, the items skipped because they failed in an earlier run.</summary>
    public long SkippedFailed { get; }

    /// <summary>Failed items now in the checkpoint (this run's and earlier ones not retried).</summary>
    public long FailedInCheckpoint { get; }

    /// <summary>How long the run took.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>Items not started because the run was suspending: they run on resume.</summary>
    public long Deferred { get; internal set; }

    /// <summary>True when every item completed and the checkpoint was removed (no keep option).</summary>
    public bool CheckpointRemoved { get; }
}
