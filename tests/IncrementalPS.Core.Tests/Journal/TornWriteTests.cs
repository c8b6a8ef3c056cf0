using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>A last record cut short by a crash mid-write is dropped, and the file repaired before the next append.</summary>
public sealed class TornWriteTests
{
    private static readonly string[] s_completedKeys = ["k0", "k1", "k2", "k3"];
    private const string LastKey = "k4";

    [Fact]
    public void A_last_record_cut_at_any_byte_loses_only_that_record_and_the_file_is_repaired_on_the_next_append()
    {
        using var store = new TempStore();
        var intact = MakeJournalEndingWithACompletion(store);
        var lastLineStart = CheckpointFile.LastLineStart(intact);

        for (var cut = lastLineStart + 1; cut < intact.Length; cut++)
        {
            var location = store.FileWith($"cut-{cut}.checkpoint.jsonl", intact[..cut]);

            using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
            {
                Assert.True(session.Resume.RepairedTornRecord, $"cut at {cut}: the torn record was not reported");
                Assert.Equal(s_completedKeys.Length, session.Resume.Completed);
                Assert.Equal(0, session.Resume.InFlight);
                foreach (var key in s_completedKeys)
                {
                    Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete(key).Kind);
                }

                // The torn completion is lost: the item has no record any more and runs again.
                Assert.Equal(ItemOutcomeKind.Completed, session.Complete(LastKey).Kind);

                var lines = CheckpointFile.ReadJsonLines(location.FilePath);
                Assert.True(lines.Count > 1, $"cut at {cut}");
                var repaired = CheckpointFile.ReadBytes(location.FilePath);
                Assert.True(repaired.AsSpan(0, lastLineStart).SequenceEqual(intact.AsSpan(0, lastLineStart)), $"cut at {cut}: whole records before the torn one changed");
            }

            File.Delete(location.FilePath);
        }
    }

    [Fact]
    public void A_reader_ignores_a_torn_last_record_at_any_byte_and_leaves_the_file_alone()
    {
        using var store = new TempStore();
        var intact = MakeJournalEndingWithACompletion(store);
        var lastLineStart = CheckpointFile.LastLineStart(intact);

        for (var cut = lastLineStart + 1; cut < intact.Length; cut++)
        {
            var location = store.FileWith($"read-{cut}.checkpoint.jsonl", intact[..cut]);

            var status = CheckpointInspector.ReadStatus(location);
            var items = CheckpointInspector.ReadItems(location);

            Assert.Equal(s_completedKeys.Length, status.Completed);
            Assert.Equal(0, status.InFlight);
            Assert.Equal(CheckpointState.Interrupted, status.State);
            Assert.Equal(s_completedKeys, items.Select(i => i.Key));
            Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
            Assert.Equal(intact[..cut], File.ReadAllBytes(location.FilePath));
            File.Delete(location.FilePath);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(100)]
    [InlineData(4096)]
    public void A_run_of_NUL_bytes_past_the_last_record_is_dropped_as_reserved_space(int nulCount)
    {
        // What a mapped journal's killed run leaves (MappedJournalTests), and what a power failure can leave where a
        // record was not yet on disk: either way no record is lost that the file still holds, so none is reported torn.
        using var store = new TempStore();
        var intact = MakeJournalEndingWithACompletion(store);
        var lastLineStart = CheckpointFile.LastLineStart(intact);
        var damaged = intact[..lastLineStart].Concat(new byte[nulCount]).ToArray();
        var location = store.FileWith("nul-run.checkpoint.jsonl", damaged);

        Assert.Equal(s_completedKeys.Length, CheckpointInspector.ReadStatus(location).Completed);
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            Assert.False(session.Resume.RepairedTornRecord);
            Assert.Equal(s_completedKeys.Length, session.Resume.Completed);
            Assert.Equal(ItemOutcomeKind.Completed, session.Complete(LastKey).Kind);
        }

        Assert.DoesNotContain((byte)0, CheckpointFile.ReadBytes(location.FilePath));
        CheckpointFile.ReadJsonLines(location.FilePath);
    }

    [Fact]
    public void A_whole_last_line_without_its_newline_is_treated_as_torn()
    {
        using var store = new TempStore();
        var intact = MakeJournalEndingWithACompletion(store);
        var location = store.FileWith("no-newline.checkpoint.jsonl", intact[..^1]);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        Assert.True(session.Resume.RepairedTornRecord);
        session.Complete("k5");
        CheckpointFile.ReadJsonLines(location.FilePath);
    }

    [Fact]
    public void An_intact_file_is_not_reported_as_repaired()
    {
        using var store = new TempStore();
        var intact = MakeJournalEndingWithACompletion(store);
        var location = store.FileWith("intact.checkpoint.jsonl", intact);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        Assert.False(session.Resume.RepairedTornRecord);
        Assert.Equal(s_completedKeys.Length + 1, session.Resume.Completed);
    }

    /// <summary>
    /// The bytes of a live run's journal whose last line is the completion of <see cref="LastKey"/>: what a crash
    /// right after that append leaves behind.
    /// </summary>
    private static byte[] MakeJournalEndingWithACompletion(TempStore store)
    {
        var location = store.Named("source");
        using var session = CheckpointSession.Start(location, Sessions.Options());
        foreach (var key in s_completedKeys)
        {
            session.Complete(key);
        }

        session.Complete(LastKey);
        var bytes = CheckpointFile.ReadWritten(location.FilePath);
        var lastLine = System.Text.Encoding.UTF8.GetString(bytes[CheckpointFile.LastLineStart(bytes)..]);
        Assert.Contains("item-completed", lastLine, StringComparison.Ordinal);
        Assert.Contains($"\"{LastKey}\"", lastLine, StringComparison.Ordinal);
        return bytes;
    }
}
