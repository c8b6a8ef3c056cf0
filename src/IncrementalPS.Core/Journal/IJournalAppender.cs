using System;

namespace IncrementalPS.Core;

/// <summary>
/// Appends records to the checkpoint file, each reaching the operating system as it is appended (it survives the
/// process being killed). When records reach the disk is the <see cref="CommitPolicy"/>'s decision. Appends are
/// serialized by the caller; the flushes may run on other threads at the same time.
/// </summary>
internal interface IJournalAppender : IDurableLog, IDisposable
{
    /// <summary>Where the next record will start.</summary>
    long Position { get; }

    /// <summary>The end of the last record appended.</summary>
    long WrittenEnd { get; }

    /// <summary>How many fsyncs <see cref="IDurableLog.MakeDurable"/> and the close made (tests of group commit and of closing).</summary>
    long DiskFlushes { get; }

    /// <summary>Appends one record; returns the offset it starts at.</summary>
    long Append(ArraySegment<byte> record);

    /// <summary>Flushes records appended since the last flush to disk; cheap when there are none.</summary>
    void FlushToDisk();

    /// <summary>Closes a journal that is deleted next, without making durable what is about to be removed.</summary>
    void CloseForDeletion();
}
