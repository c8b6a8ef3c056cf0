namespace IncrementalPS.Core;

/// <summary>How far each journal record travels before the item's result is handed on.</summary>
public enum Durability
{
    /// <summary>
    /// Every record reaches the operating system before going on (survives the process being killed), and pending
    /// records are flushed to disk at least once a second (a power failure loses at most about a second).
    /// </summary>
    Normal = 0,

    /// <summary>Every record is flushed to disk (fsync) before going on: survives a power failure, at the cost of one fsync per record.</summary>
    Full = 1,
}
