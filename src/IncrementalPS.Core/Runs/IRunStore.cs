using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>
/// Where a run keeps what it learns about items: all that the run logic (<see cref="CheckpointSession"/>: skip, retry,
/// poison, progress) asks of a checkpoint, and nothing about how it is kept. The file journal
/// (<see cref="FileRunStore"/>) is one implementation.
/// </summary>
/// <remarks>
/// <para>
/// The session calls a store under its own lock, one call at a time, except <see cref="WaitDurable"/>: that comes
/// after the session let go of its lock, so that results finishing on several threads share one flush.
/// </para>
/// <para>
/// The calls are shaped for a store shared by several processes too (a database with a lease per key): a
/// A claim (<see cref="TryClaim"/>) is the right to record the item's result; such a store makes it a lease with a fencing token,
/// keeps it alive while the item is in flight, and refuses (throws from) a result whose lease another worker took
/// over. <see cref="TryGet"/> may answer from what the store knew at open; <see cref="TryClaim"/> is the atomic
/// decision, and returns false when another worker holds the item or finished it meanwhile: the run then skips it.
/// </para>
/// </remarks>
internal interface IRunStore : IDisposable
{
    /// <summary>What the store found when this run took the checkpoint.</summary>
    StoreOpening Opening { get; }

    /// <summary>Keys known to the checkpoint.</summary>
    int Keys { get; }

    long Completed { get; }

    long Failed { get; }

    /// <summary>Keys in flight now or left unfinished by an earlier run.</summary>
    long InFlight { get; }

    /// <summary>The key's latest state, when the checkpoint knows the key.</summary>
    bool TryGet(string key, out KeyEntry entry);

    /// <summary>
    /// Why this store cannot keep <paramref name="key"/> as it is (a PostgreSQL text holds no NUL character), or null.
    /// The session refuses such a key before it asks anything else about it: that item's error, not the run's.
    /// </summary>
    string? CannotHold(string key);

    /// <summary>
    /// Marks the item in flight for <paramref name="attempt"/> before its work runs: a run that dies now leaves it
    /// unfinished. False when the item is not this run's to run (held or finished by another worker of a shared store;
    /// the file store, owned by one run, always claims).
    /// </summary>
    bool TryClaim(string key, int attempt, int deaths, out ItemClaim claim);

    /// <summary>Moves a claim on to the next attempt after a failed one with retries left; the item never stops being in flight.</summary>
    ItemClaim Reclaim(in ItemClaim claim, int attempt);

    /// <summary>
    /// Brings what <see cref="TryGet"/> says about <paramref name="keys"/> up to date, in as few round trips as the store
    /// can (items other workers of a shared store held; a store owned by one run knows already).
    /// </summary>
    void Refresh(IReadOnlyCollection<string> keys);

    /// <summary>
    /// Records the item completed; the claim ends. Durable once <see cref="WaitDurable"/> returns for the point, which
    /// throws <see cref="CheckpointLeaseLostException"/> if a shared store's fence refused it.
    /// </summary>
    /// <param name="claim">The claim that ends.</param>
    /// <param name="duration">How long the attempt took.</param>
    /// <param name="finished">When it finished (UTC), for the record; a shared store stamps results with its server's clock instead.</param>
    /// <param name="output">The output to save with it, or null.</param>
    CommitPoint RecordCompleted(in ItemClaim claim, TimeSpan duration, DateTime finished, string? output);

    /// <summary>Records the item's last allowed attempt failed (at <paramref name="finished"/>, UTC, as for <see cref="RecordCompleted"/>); the claim ends.</summary>
    CommitPoint RecordFailed(in ItemClaim claim, TimeSpan duration, DateTime finished, ItemError error);

    /// <summary>Records that the run stopped while the item was in flight; it runs again on resume. The claim ends.</summary>
    void RecordInterrupted(in ItemClaim claim, int deaths);

    /// <summary>Records every item still claimed by this run as interrupted (the run is ending).</summary>
    void InterruptAll();

    /// <summary>Records an item that killed its process too often (<paramref name="deaths"/> times) as failed, without running it.</summary>
    void RecordPoisoned(string key, int attempts, int deaths, ItemError error);

    /// <summary>The error recorded with a failed item.</summary>
    ItemError? ReadError(string key);

    /// <summary>The output saved with a completed item, or null.</summary>
    string? ReadSavedOutput(string key);

    /// <summary>Returns once the result at <paramref name="point"/> is as durable as the run's <see cref="Durability"/> promises.</summary>
    void WaitDurable(in CommitPoint point);

    /// <summary>Throws a failure of the store's background work (a flush to disk) before new work is taken on.</summary>
    void ThrowIfFailed();

    /// <summary>
    /// True once someone asked this run to suspend (see <see cref="SuspendRequest"/>). Cheap, and safe from any thread:
    /// the session's timer asks about once a second, outside its lock.
    /// </summary>
    bool SuspendRequested { get; }

    /// <summary>Records how the run ended (a <see cref="JournalFormat"/> outcome) and what it did.</summary>
    void EndRun(string outcome, long seen, long completed, long failed, long skipped);

    /// <summary>
    /// Lets the checkpoint go: with <paramref name="remove"/> it is deleted (a complete run, or one that created it and
    /// recorded nothing); with <paramref name="compact"/> it is reduced to its live state first when that is worth it.
    /// Returns whether the checkpoint is gone: a shared store declines a removal while other workers are live.
    /// </summary>
    bool Close(bool remove, bool compact);
}
