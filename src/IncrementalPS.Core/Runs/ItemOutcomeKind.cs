namespace IncrementalPS.Core;

/// <summary>What happened to an item handed to <see cref="CheckpointSession.Process"/>.</summary>
internal enum ItemOutcomeKind
{
    /// <summary>Processed now, and completed.</summary>
    Completed,

    /// <summary>Processed now, and failed on its last attempt (recorded as failed).</summary>
    Failed,

    /// <summary>Not processed: completed in an earlier run.</summary>
    SkippedCompleted,

    /// <summary>Not processed: failed in an earlier run and retrying failed items was not asked for.</summary>
    SkippedFailed,

    /// <summary>Not processed: the same key was already seen in this run (or, in a store shared by several workers, another worker holds it).</summary>
    SkippedDuplicate,

    /// <summary>Not processed: the process died while handling this item too many times; now recorded as failed.</summary>
    Poisoned,

    /// <summary>Not processed and not recorded: the run is suspending, so nothing new starts. It runs on resume.</summary>
    Deferred,

    /// <summary>
    /// Not processed yet: another worker sharing the store holds it. Not a result: its outcome is reported once, by
    /// <see cref="CheckpointSession.ProcessHeld"/> at the end of the input (a skip when the holder finishes it).
    /// </summary>
    HeldElsewhere,
}
