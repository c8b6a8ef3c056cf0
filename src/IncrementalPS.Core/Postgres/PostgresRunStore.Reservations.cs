using System;
using System.Collections.Generic;
using System.Diagnostics;
using Npgsql;

namespace IncrementalPS.Core;

/// <content>
/// Claims made ahead. Workers given the same input in the same order reach each key at about the same moment, and each
/// of them would pay a trip to learn that another holds it. A front end that sees its next items says so
/// (<see cref="Foresee"/>); a claim trip then also claims those of them nobody holds, marked reserved, and learns in the
/// same trip which the others hold. Starting a reserved item is a trip of its own that carries the held results, as a
/// claim does, so the cost stays one trip per item, and the trips to be told "held" come once per batch, not per key.
/// Only a key nobody claimed before is claimed ahead (or a reservation that lapsed), with no attempt counted until it
/// starts; so a reservation never reached is let go by deleting its row, and one that lapses when its worker dies is
/// taken over without counting a death of the item: it never ran.
/// </content>
internal sealed partial class PostgresRunStore : IForeseeingStore
{
    /// <summary>At most this many keys are claimed in one trip: the one to run now and those foreseen after it.</summary>
    /// <remarks>
    /// 48 against 16: more items/s in 9 of 10 interleaved pairs of bench runs (4 workers, no-op items), by up to a third.
    /// A worker that joined late used to pay a trip for each key the others held when it opened and finished meanwhile,
    /// which made more keys ahead cost more trips, not fewer (<see cref="KnownUnclaimable"/>; docs/benchmarks.md).
    /// </remarks>
    internal const int ClaimAhead = 48;

    /// <summary>How long a foreseen key that another worker was claiming at the time is taken as held without asking.</summary>
    internal static readonly TimeSpan ClaimedElsewhereFor = TimeSpan.FromSeconds(1);

    /// <summary>Keys are claimed ahead only while the last item took at most this long.</summary>
    internal static readonly TimeSpan ClaimAheadUpTo = TimeSpan.FromMilliseconds(50);

    private TimeSpan _lastDuration;

    // Keys this worker claimed ahead and has not started, with their fencing tokens. At most ClaimAhead at a time.
    private readonly Dictionary<string, long> _reserved = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _foreseen = Array.Empty<string>();

    /// <summary>Keys this worker claimed ahead and has not started (tests).</summary>
    internal int Reserved => _reserved.Count;

    public void Foresee(IReadOnlyList<string> upcoming) => _foreseen = upcoming;

    /// <summary>
    /// <paramref name="key"/>, then the foreseen keys worth claiming with it: not claimed ahead already, and not known to
    /// be done, failed (unless retrying failed items) or held by another worker under a lease that cannot have lapsed.
    /// </summary>
    private string[] KeysToClaim(string key)
    {
        // Only while items are quick: trips are what they cost then. A worker on slow items gains nothing from claims
        // ahead, and would keep them from the others for as long as it takes to reach them.
        if (_foreseen.Count == 0 || _lastDuration > ClaimAheadUpTo)
        {
            return new[] { key };
        }

        var keys = new List<string>(ClaimAhead) { key };
        var now = Stopwatch.GetTimestamp();
        for (var i = 0; i < _foreseen.Count && i < 2 * ClaimAhead && keys.Count < ClaimAhead; i++)
        {
            var next = _foreseen[i];
            // A key this store cannot hold fails its own item when reached, not the claim of another.
            if (_reserved.ContainsKey(next) || keys.Contains(next) || CannotHold(next) is not null || KnownUnclaimable(next, now))
            {
                continue;
            }

            keys.Add(next);
        }

        return keys.ToArray();
    }

    /// <summary>
    /// A key with any history is not claimed ahead (the server would decline it): only new keys are. Except one another
    /// worker held when this one last heard of it, with no lease known to last: asked about with the claim, whose answer
    /// says where it stands now. A worker that joins late learns at opening that others hold their keys claimed ahead;
    /// without the question, each of those they finished meanwhile cost a trip of its own when reached.
    /// </summary>
    private bool KnownUnclaimable(string key, long now)
    {
        if (_prefetched.TryGetValue(key, out var known) && (known.Entry.Status != KeyStatus.Started || now < known.HeldUntil))
        {
            return true;
        }

        return _keys.TryGet(key, out var entry) && !(entry.Status == KeyStatus.Started && entry.Run != _run);
    }

    /// <summary>
    /// Starts an item this worker claimed ahead: one trip that carries the held results and turns the reservation into
    /// a claim, fenced by its token. Declined when the reservation lapsed and another worker took the item over.
    /// </summary>
    private bool TryStartReserved(string key, long token, out ItemClaim claim)
    {
        var started = Call(
            () => CarryingInOne(
                $"""
                started AS (
                    UPDATE {S}.items SET reserved = false, attempts = attempts + 1, lease_until = now() + @lease
                    WHERE checkpoint_id = @c AND key = @k AND token = @t AND status = 2 AND reserved RETURNING attempts, deaths)
                """,
                "(SELECT attempts FROM started), (SELECT deaths FROM started)",
                parameters =>
                {
                    parameters.AddWithValue("k", key);
                    parameters.AddWithValue("t", token);
                    parameters.AddWithValue("lease", _lease);
                },
                reader => reader.IsDBNull(1) ? ((int Attempts, int Deaths)?)null : (reader.GetInt32(1), reader.GetInt32(2))),
            flushFirst: false);

        if (started is not { } taken)
        {
            // The reservation lapsed (this worker lost the server for longer than its lease) and another worker took
            // the item: held elsewhere, as far as this worker knows.
            claim = default;
            _held.Remove(key);
            SetKey(key, new KeyEntry { Status = KeyStatus.Started, Run = 0 });
            return false;
        }

        return Started(key, token, taken.Attempts, taken.Deaths, out claim);
    }
}
