namespace IncrementalPS.Core;

/// <summary>
/// <see cref="Durability.Full"/>: every record is on disk (fsync) before the run goes on. Results are flushed
/// outside the session's lock, so results finishing together on several threads share one fsync (group commit).
/// </summary>
internal sealed class FullCommitPolicy : CommitPolicy
{
    public override void RecordAppended(IDurableLog log, long end) => log.MakeDurable(end);

    public override void WaitDurable(in CommitPoint point) => point.Log?.MakeDurable(point.End);
}
