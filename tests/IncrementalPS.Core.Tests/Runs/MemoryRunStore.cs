using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// A store kept in memory, standing in for a store shared by several workers: it can be told that another worker
/// holds a key. It proves that the run logic needs nothing of a store beyond <see cref="IRunStore"/>.
/// </summary>
internal sealed class MemoryRunStore : IRunStore
{
    private readonly Dictionary<string, KeyEntry> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ItemError> _errors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _outputs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _claimed = new(StringComparer.Ordinal);

    public StoreOpening Opening { get; } = new(run: 1, isResume: false, previousState: null, repairedTornRecord: false, previousFingerprint: null, previousTotal: null);

    /// <summary>Keys another worker holds: claims on them are declined.</summary>
    public HashSet<string> HeldElsewhere { get; } = new(StringComparer.Ordinal);

    public List<string> Journal { get; } = new();

    /// <summary>Runs inside each claim, as a server's round trip would (the session holds its lock meanwhile).</summary>
    public Action<string>? DuringClaim { get; set; }

    public int Keys => _keys.Count;

    public long Completed => _keys.Values.Count(e => e.Status == KeyStatus.Completed);

    public long Failed => _keys.Values.Count(e => e.Status == KeyStatus.Failed);

    public long InFlight => _keys.Values.Count(e => e.Status is KeyStatus.Started or KeyStatus.Interrupted);

    public bool Closed { get; private set; }

    public bool TryGet(string key, out KeyEntry entry) => _keys.TryGetValue(key, out entry);

    public string? CannotHold(string key) => null;

    public bool TryClaim(string key, int attempt, int deaths, out ItemClaim claim)
    {
        claim = new ItemClaim(key, attempt, token: attempt);
        DuringClaim?.Invoke(key);
        if (HeldElsewhere.Contains(key))
        {
            return false;
        }

        _claimed.Add(key);
        _keys[key] = new KeyEntry { Run = 1, Attempts = attempt, Deaths = deaths, Status = KeyStatus.Started };
        Journal.Add($"claim {key} {attempt}");
        return true;
    }

    public ItemClaim Reclaim(in ItemClaim claim, int attempt)
    {
        Journal.Add($"reclaim {claim.Key} {attempt}");
        _keys[claim.Key] = new KeyEntry { Run = 1, Attempts = attempt, Status = KeyStatus.Started };
        return new ItemClaim(claim.Key, attempt, token: attempt);
    }

    public CommitPoint RecordCompleted(in ItemClaim claim, TimeSpan duration, DateTime finished, string? output)
    {
        Journal.Add($"completed {claim.Key} {claim.Attempt}");
        _keys[claim.Key] = new KeyEntry { Run = 1, Attempts = claim.Attempt, Status = KeyStatus.Completed, HasOutput = output is not null };
        if (output is not null)
        {
            _outputs[claim.Key] = output;
        }

        _claimed.Remove(claim.Key);
        return default;
    }

    public CommitPoint RecordFailed(in ItemClaim claim, TimeSpan duration, DateTime finished, ItemError error)
    {
        Journal.Add($"failed {claim.Key} {claim.Attempt}");
        _keys[claim.Key] = new KeyEntry { Run = 1, Attempts = claim.Attempt, Status = KeyStatus.Failed };
        _errors[claim.Key] = error;
        _claimed.Remove(claim.Key);
        return default;
    }

    public void RecordInterrupted(in ItemClaim claim, int deaths)
    {
        Journal.Add($"interrupted {claim.Key}");
        _keys[claim.Key] = new KeyEntry { Run = 1, Attempts = claim.Attempt, Deaths = deaths, Status = KeyStatus.Interrupted };
        _claimed.Remove(claim.Key);
    }

    public void InterruptAll()
    {
        foreach (var key in _claimed.ToList())
        {
            RecordInterrupted(new ItemClaim(key, _keys[key].Attempts, 0), _keys[key].Deaths);
        }
    }

    public void RecordPoisoned(string key, int attempts, int deaths, ItemError error) => throw new NotSupportedException("no deaths in memory");

    public ItemError? ReadError(string key) => _errors.TryGetValue(key, out var error) ? error : null;

    public string? ReadSavedOutput(string key) => _outputs.TryGetValue(key, out var output) ? output : null;

    public void WaitDurable(in CommitPoint point)
    {
    }

    /// <summary>Set by a test to ask the run to suspend.</summary>
    public volatile bool AskToSuspend;

    public bool SuspendRequested => AskToSuspend;

    /// <summary>Nothing to do: this run owns the checkpoint, so it knows every key's state already.</summary>
    public void Refresh(IReadOnlyCollection<string> keys)
    {
    }

    public void ThrowIfFailed()
    {
    }

    public void EndRun(string outcome, long seen, long completed, long failed, long skipped)
        => Journal.Add($"ended {outcome} seen {seen} completed {completed} failed {failed} skipped {skipped}");

    public bool Close(bool remove, bool compact)
    {
        Closed = true;
        Journal.Add($"closed remove={remove}");
        return remove;
    }

    public void Dispose() => Close(remove: false, compact: false);
}
