namespace IncrementalPS.Core;

/// <summary>
/// An item's result that <see cref="PostgresRunStore"/> holds until the next round trip to the server (the next claim,
/// or a wait for it to be durable), so that the result of one item and the claim of the next travel together.
/// </summary>
internal readonly struct PendingResult
{
    public PendingResult(long sequence, in ItemClaim claim, KeyStatus status, double durationMs, string? output, ItemError? error)
    {
        Sequence = sequence;
        Key = claim.Key;
        Token = claim.Token;
        Status = status;
        DurationMs = durationMs;
        Output = output;
        Error = error;
    }

    /// <summary>Its place among this worker's results: a <see cref="CommitPoint.End"/>.</summary>
    public long Sequence { get; }

    public string Key { get; }

    /// <summary>The fencing token of the claim that recorded it: only the holder of the current token records a result.</summary>
    public long Token { get; }

    public KeyStatus Status { get; }

    public double DurationMs { get; }

    public string? Output { get; }

    public ItemError? Error { get; }
}
