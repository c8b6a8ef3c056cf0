namespace IncrementalPS.Core;

/// <summary>Where a result stands in its log; <c>default</c> when the store committed it already.</summary>
internal readonly struct CommitPoint
{
    public CommitPoint(IDurableLog log, long end)
    {
        Log = log;
        End = end;
    }

    public IDurableLog? Log { get; }

    public long End { get; }
}
