using System;
using System.Collections.Generic;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.InFlight;

/// <summary>
/// The file store knows which of its keys are in flight from their slots (a key per slot), and from a set for the keys
/// an item-started record marks instead (no slot free, or a key too long for one): every claim ends once, and frees
/// only its own mark.
/// </summary>
public sealed class InFlightBookkeepingTests
{
    private static readonly DateTime Now = new(2026, 11, 30, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Items_in_flight_past_the_slots_and_with_keys_too_long_for_one_are_each_recorded_interrupted_at_the_end()
    {
        using var store = new TempStore();
        var location = store.Named();
        var longKey = "long-" + new string('k', InFlightSlots.MaxKeyBytes);
        var keys = Enumerable.Range(0, 70).Select(i => "item-" + i).Append(longKey).ToList();
        using (var runStore = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true)))
        {
            var claims = keys.Select(key => Claim(runStore, key)).ToList();
            Assert.Equal(64, claims.Count(c => c.Token >= 0));

            // Done: one in a slot, one marked by a record (no slot was left), and the long key.
            foreach (var done in new[] { claims[3], claims[66], claims[70] })
            {
                runStore.WaitDurable(runStore.RecordCompleted(done, TimeSpan.Zero, Now, output: null));
            }

            runStore.InterruptAll();
            Assert.Empty(InFlightSlots.ReadAll(location.InFlightPath));
            runStore.EndRun(JournalFormat.OutcomeInterrupted, keys.Count, 3, 0, 0);
        }

        using var reopened = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true));
        var states = keys.ToDictionary(key => key, key => reopened.TryGet(key, out var entry) ? entry.Status : (KeyStatus?)null);
        Assert.Equal(new[] { "item-3", "item-66", longKey }.OrderBy(k => k), states.Where(s => s.Value == KeyStatus.Completed).Select(s => s.Key).OrderBy(k => k));
        Assert.Equal(keys.Count - 3, states.Count(s => s.Value == KeyStatus.Interrupted));

        // Stopped, not killed: no item counts a death (a key the run left marked as started would).
        Assert.All(keys, key => Assert.Equal(0, reopened.TryGet(key, out var entry) ? entry.Deaths : -1));
    }

    [Fact]
    public void A_claim_that_ended_before_frees_no_slot_that_another_key_holds_now()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var runStore = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true));
        var first = Claim(runStore, "first");
        runStore.WaitDurable(runStore.RecordCompleted(first, TimeSpan.Zero, Now, output: null));

        // The freed slot is the next one given out.
        var second = Claim(runStore, "second");
        Assert.Equal(first.Token, second.Token);

        runStore.RecordInterrupted(first, deaths: 0);

        var mark = Assert.Single(InFlightSlots.ReadAll(location.InFlightPath));
        Assert.Equal("second", mark.Key);

        // Nor does it undo the result: the item stays completed, in memory and in the file.
        Assert.True(runStore.TryGet("first", out var entry));
        Assert.Equal(KeyStatus.Completed, entry.Status);
        runStore.Dispose();
        using var reopened = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true));
        Assert.True(reopened.TryGet("first", out var reread));
        Assert.Equal(KeyStatus.Completed, reread.Status);
    }

    [Fact]
    public void A_retry_moves_between_a_slot_and_a_record_as_slots_free_up_and_run_out()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var runStore = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true)))
        {
            var slotted = Enumerable.Range(0, 64).Select(i => Claim(runStore, "slot-" + i)).ToList();
            var byRecord = Claim(runStore, "by-record");
            Assert.Equal(-1, byRecord.Token);

            // Record to record: no slot is free.
            var stillByRecord = runStore.Reclaim(byRecord, attempt: 2);
            Assert.Equal(-1, stillByRecord.Token);

            // Record to slot: one is free now.
            runStore.WaitDurable(runStore.RecordCompleted(slotted[10], TimeSpan.Zero, Now, output: null));
            var inSlot = runStore.Reclaim(stillByRecord, attempt: 3);
            Assert.True(inSlot.Token >= 0);

            // Slot to record: the new mark comes first and finds no slot free, then the old slot is freed.
            var slotToRecord = runStore.Reclaim(slotted[20], attempt: 2);
            Assert.Equal(-1, slotToRecord.Token);
            Assert.DoesNotContain(InFlightSlots.ReadAll(location.InFlightPath), m => m.Key == "slot-20");

            runStore.InterruptAll();
            Assert.Empty(InFlightSlots.ReadAll(location.InFlightPath));
            runStore.EndRun(JournalFormat.OutcomeInterrupted, 65, 1, 0, 0);
        }

        // Each in flight once, interrupted once, never a death; attempts as the retries left them.
        using var reopened = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true));
        Assert.True(reopened.TryGet("by-record", out var retried));
        Assert.Equal((KeyStatus.Interrupted, 3, 0), (retried.Status, retried.Attempts, retried.Deaths));
        Assert.True(reopened.TryGet("slot-20", out var moved));
        Assert.Equal((KeyStatus.Interrupted, 2, 0), (moved.Status, moved.Attempts, moved.Deaths));
        Assert.Equal(63, Enumerable.Range(0, 64).Count(i => reopened.TryGet("slot-" + i, out var e) && e.Status == KeyStatus.Interrupted && e.Deaths == 0));
    }

    [Fact]
    public void A_retry_moves_the_item_to_a_new_mark_and_frees_the_old_one()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var runStore = FileRunStore.Open(location, Sessions.Options(o => o.Keep = true));
        var claim = Claim(runStore, "retried");

        var again = runStore.Reclaim(claim, attempt: 2);

        var mark = Assert.Single(InFlightSlots.ReadAll(location.InFlightPath));
        Assert.Equal(("retried", 2), (mark.Key, mark.Attempt));
        runStore.WaitDurable(runStore.RecordCompleted(again, TimeSpan.Zero, Now, output: null));
        Assert.Empty(InFlightSlots.ReadAll(location.InFlightPath));
        Assert.Equal(0, runStore.InFlight);
    }

    private static ItemClaim Claim(FileRunStore runStore, string key)
    {
        Assert.True(runStore.TryClaim(key, attempt: 1, deaths: 0, out var claim));
        return claim;
    }
}
