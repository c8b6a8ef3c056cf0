namespace IncrementalPS.Core;

/// <summary>What the checkpoint knows about one key. Keys it has never seen are untouched and have no record.</summary>
public enum ItemState
{
    /// <summary>Completed.</summary>
    Completed,

    /// <summary>Failed on its last attempt.</summary>
    Failed,

    /// <summary>Started and never finished: being processed by a live run, or the process died while processing it.</summary>
    InFlight,
}
