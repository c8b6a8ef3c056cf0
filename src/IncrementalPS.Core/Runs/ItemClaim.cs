namespace IncrementalPS.Core;

/// <summary>
/// A run's right to record one attempt's result for an item, from <see cref="IRunStore.Claim"/>. The token is the
/// store's: an in-flight slot for the file store, a lease's fencing token for a shared store.
/// </summary>
internal readonly struct ItemClaim
{
    public ItemClaim(string key, int attempt, long token)
    {
        Key = key;
        Attempt = attempt;
        Token = token;
    }

    public string Key { get; }

    /// <summary>The attempt over the checkpoint's life that this claim is for.</summary>
    public int Attempt { get; }

    public long Token { get; }
}
