namespace IncrementalPS.Core;

/// <summary>A log that can be asked to make everything before a position durable (group commit).</summary>
internal interface IDurableLog
{
    /// <summary>Returns once every byte before <paramref name="end"/> is on disk.</summary>
    void MakeDurable(long end);
}
