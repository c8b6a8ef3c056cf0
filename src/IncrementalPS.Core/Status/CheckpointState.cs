namespace IncrementalPS.Core;

/// <summary>Where a checkpoint stands.</summary>
public enum CheckpointState
{
    /// <summary>A live process holds it and is working.</summary>
    Running,

    /// <summary>Its last run stopped before the end (Ctrl+C, a crash, a reboot) or left items unfinished: run it again to resume.</summary>
    Interrupted,

    /// <summary>Its last run ended with every item completed (kept as a ledger).</summary>
    Completed,

    /// <summary>Its last run ended with some items failed: retry them on purpose.</summary>
    Failed,

    /// <summary>Its last run was asked to suspend (Suspend-Checkpoint, incps suspend) and stopped after its items in flight: run it again to resume.</summary>
    Suspended,
}
