using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.InFlight;

public sealed class InFlightSlotsTests
{
    [Fact]
    public void Marks_left_at_close_are_read_by_the_next_owner_although_close_does_not_flush_them()
    {
        // Closing unmaps the slots without flushing them to disk; what was stored must still be what the file holds
        // for a reader in the page cache (a killed run's marks are read the same way).
        using var store = new TempStore();
        var path = store.Named().InFlightPath;
        using (var slots = InFlightSlots.Create(path))
        {
            slots.Mark("kept", run: 3, attempt: 2, deaths: 1);
            var cleared = slots.Mark("cleared", run: 3, attempt: 1, deaths: 0);
            Assert.True(slots.Release(cleared, "cleared"));
        }

        var mark = Assert.Single(InFlightSlots.ReadAll(path));
        Assert.Equal(("kept", 3, 2, 1), (mark.Key, mark.Run, mark.Attempt, mark.Deaths));
    }

    [Fact]
    public void A_slot_freed_at_close_is_free_for_the_next_run()
    {
        using var store = new TempStore();
        var path = store.Named().InFlightPath;
        using (var slots = InFlightSlots.Create(path))
        {
            Assert.True(slots.Release(slots.Mark("a", run: 1, attempt: 1, deaths: 0), "a"));
        }

        Assert.Empty(InFlightSlots.ReadAll(path));
        using (var next = InFlightSlots.Create(path))
        {
            next.Mark("b", run: 2, attempt: 1, deaths: 0);
            Assert.Equal(["b"], InFlightSlots.ReadAll(path).Select(m => m.Key));
        }
    }

    [Fact]
    public void A_new_run_starts_with_no_marks_over_the_marks_of_a_killed_run()
    {
        // Create truncates only a file that is there already: the one a killed run left must still be wiped.
        using var store = new TempStore();
        var path = store.Named().InFlightPath;
        var killed = InFlightSlots.Create(path);
        killed.Mark("a", run: 1, attempt: 1, deaths: 0);
        killed.Mark("b", run: 1, attempt: 2, deaths: 1);
        killed.Dispose();
        Assert.Equal(2, InFlightSlots.ReadAll(path).Count);

        using (var next = InFlightSlots.Create(path))
        {
            Assert.Empty(InFlightSlots.ReadAll(path));
            next.Mark("c", run: 2, attempt: 1, deaths: 0);
            Assert.Equal(["c"], InFlightSlots.ReadAll(path).Select(m => m.Key));
        }
    }

    [Fact]
    public void A_longer_file_in_the_place_of_the_slots_file_is_cut_to_the_slots_and_holds_no_marks()
    {
        using var store = new TempStore();
        var path = store.Named().InFlightPath;
        var junk = new byte[200_000];
        new System.Random(7).NextBytes(junk);
        System.IO.File.WriteAllBytes(path, junk);

        using (InFlightSlots.Create(path))
        {
            Assert.Equal(16 + (64 * InFlightSlots.SlotSize), new System.IO.FileInfo(path).Length);
            Assert.Empty(InFlightSlots.ReadAll(path));
        }
    }
}
