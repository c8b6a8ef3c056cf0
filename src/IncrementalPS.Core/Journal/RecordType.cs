namespace IncrementalPS.Core;

/// <summary>The kinds of line in a checkpoint file.</summary>
internal enum RecordType : byte
{
    Unknown = 0,
    RunStarted,
    RunEnded,
    ItemStarted,
    ItemCompleted,
    ItemFailed,
    ItemInterrupted,
}
