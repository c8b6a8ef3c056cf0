namespace IncrementalPS.Core;

/// <summary>
/// What a worker of <see cref="PostgresRunStore"/> learned about a key another worker claimed, without asking for it:
/// enough to decline the key's claim without a round trip of its own while the answer is sure to be the same.
/// </summary>
internal readonly struct PrefetchedKey
{
    public PrefetchedKey(in KeyEntry entry, long heldUntil)
    {
        Entry = entry;
        HeldUntil = heldUntil;
    }

    public KeyEntry Entry { get; }

    /// <summary>For a held key: the <see cref="System.Diagnostics.Stopwatch"/> time until which its lease surely lasts.</summary>
    public long HeldUntil { get; }
}
