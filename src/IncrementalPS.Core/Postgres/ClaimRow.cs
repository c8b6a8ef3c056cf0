namespace IncrementalPS.Core;

/// <summary>One key's answer to a claim of <see cref="PostgresRunStore"/>: taken (with its token), or its row as it is.</summary>
internal readonly struct ClaimRow
{
    public ClaimRow(string key, bool taken, long token, int attempts, int deaths, in KeyEntry entry, long heldUntil)
    {
        HeldUntil = heldUntil;
        Key = key;
        Taken = taken;
        Token = token;
        Attempts = attempts;
        Deaths = deaths;
        Entry = entry;
    }

    public string Key { get; }

    public bool Taken { get; }

    public long Token { get; }

    public int Attempts { get; }

    public int Deaths { get; }

    /// <summary>
    /// For a key declined because another worker holds it: the <see cref="System.Diagnostics.Stopwatch"/> time until
    /// which its lease surely lasts (0 when not held, or already lapsed).
    /// </summary>
    public long HeldUntil { get; }

    /// <summary>When declined: the key's row as the run logic sees it.</summary>
    public KeyEntry Entry { get; }
}
