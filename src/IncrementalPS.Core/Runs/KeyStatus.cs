namespace IncrementalPS.Core;

/// <summary>A key's state as the engine tracks it (finer than the public <see cref="ItemState"/>).</summary>
internal enum KeyStatus : byte
{
    Completed,
    Failed,

    /// <summary>Last record is item-started: in flight in a live run, or its process died.</summary>
    Started,

    /// <summary>Known to be unfinished by a run that is over (stopped, or found dead by a later run).</summary>
    Interrupted,
}
