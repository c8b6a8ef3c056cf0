using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Core;

/// <summary>
/// A store seen through key hashing: every key the run hands in is replaced by its keyed hash before the store sees
/// it, so nothing the store writes (records, rows, the in-flight slots) holds a clear key. The run itself keeps the
/// clear key for what it tells its caller (outcomes, retries, progress on screen).
/// </summary>
internal sealed class HashedKeyStore : IRunStore, IForeseeingStore
{
    private readonly IRunStore _inner;
    private readonly KeyHasher _hasher;

    // The last key and its hash: a run asks about each item twice in a row (TryGet, then TryClaim), and an HMAC per
    // question would double the cost of hashing on the per-item path. One reference, swapped whole: safe from any thread.
    private Tuple<string, string>? _last;

    public HashedKeyStore(IRunStore inner, KeyHasher hasher)
    {
        _inner = inner;
        _hasher = hasher;
    }

    public StoreOpening Opening => _inner.Opening;

    public int Keys => _inner.Keys;

    public long Completed => _inner.Completed;

    public long Failed => _inner.Failed;

    public long InFlight => _inner.InFlight;

    public bool SuspendRequested => _inner.SuspendRequested;

    /// <summary>The store underneath (tests reach the file store's hooks through it).</summary>
    internal IRunStore Inner => _inner;

    public bool TryGet(string key, out KeyEntry entry) => _inner.TryGet(Hash(key), out entry);

    /// <summary>Null: the store behind keeps the key's hash, which any store holds.</summary>
    public string? CannotHold(string key) => null;

    // The claim carries the hash: it is what the store records the result under.
    public bool TryClaim(string key, int attempt, int deaths, out ItemClaim claim) => _inner.TryClaim(Hash(key), attempt, deaths, out claim);

    public ItemClaim Reclaim(in ItemClaim claim, int attempt) => _inner.Reclaim(claim, attempt);

    /// <summary>Hashed only as the store reads them: it reads them only when it makes a claim trip.</summary>
    public void Foresee(IReadOnlyList<string> upcoming)
    {
        if (_inner is IForeseeingStore foreseeing)
        {
            foreseeing.Foresee(upcoming.Count == 0 ? upcoming : new HashedKeyList(upcoming, _hasher));
        }
    }

    /// <summary>The keys are the session's clear keys: the store knows them by their hashes.</summary>
    public void Refresh(IReadOnlyCollection<string> keys) => _inner.Refresh(keys.Select(_hasher.Hash).ToList());

    public CommitPoint RecordCompleted(in ItemClaim claim, TimeSpan duration, DateTime finished, string? output) => _inner.RecordCompleted(claim, duration, finished, output);

    public CommitPoint RecordFailed(in ItemClaim claim, TimeSpan duration, DateTime finished, ItemError error) => _inner.RecordFailed(claim, duration, finished, error);

    public void RecordInterrupted(in ItemClaim claim, int deaths) => _inner.RecordInterrupted(claim, deaths);

    public void InterruptAll() => _inner.InterruptAll();

    public void RecordPoisoned(string key, int attempts, int deaths, ItemError error) => _inner.RecordPoisoned(_hasher.Hash(key), attempts, deaths, error);

    public ItemError? ReadError(string key) => _inner.ReadError(_hasher.Hash(key));

    public string? ReadSavedOutput(string key) => _inner.ReadSavedOutput(_hasher.Hash(key));

    public void WaitDurable(in CommitPoint point) => _inner.WaitDurable(point);

    public void ThrowIfFailed() => _inner.ThrowIfFailed();

    public void EndRun(string outcome, long seen, long completed, long failed, long skipped) => _inner.EndRun(outcome, seen, completed, failed, skipped);

    public bool Close(bool remove, bool compact) => _inner.Close(remove, compact);

    public void Dispose() => _inner.Dispose();

    private string Hash(string key)
    {
        if (_last is { } last && string.Equals(last.Item1, key, StringComparison.Ordinal))
        {
            return last.Item2;
        }

        var hash = _hasher.Hash(key);
        _last = Tuple.Create(key, hash);
        return hash;
    }
}
