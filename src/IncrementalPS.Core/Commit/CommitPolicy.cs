using System;

namespace IncrementalPS.Core;

/// <summary>
/// When appended records are made durable, kept apart from the log that appends them (as FASTER keeps
/// LogCommitPolicy apart from FasterLog): the journal only writes and flushes when told.
/// </summary>
internal abstract class CommitPolicy : IDisposable
{
    /// <summary>The policy for <paramref name="durability"/>; <paramref name="currentLog"/> is the journal now open, or null.</summary>
    public static CommitPolicy For(Durability durability, Func<IJournalAppender?> currentLog)
        => durability == Durability.Full ? new FullCommitPolicy() : new NormalCommitPolicy(currentLog);

    /// <summary>After a record that is not an item result (run and interruption records), under the store's lock.</summary>
    public abstract void RecordAppended(IDurableLog log, long end);

    /// <summary>After an item result, outside the session's lock, before the result is handed on.</summary>
    public abstract void WaitDurable(in CommitPoint point);

    /// <summary>Throws a failure of the policy's background flushing, if there was one.</summary>
    public virtual void ThrowIfFailed()
    {
    }

    public virtual void Dispose()
    {
    }
}
