using System;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// At Normal durability records are copied into a mapping of the journal's tail, which keeps NUL bytes reserved past
/// the last record: readers, a killed run's successor and the close all treat them as no record.
/// </summary>
public sealed class MappedJournalTests
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [LinuxFact]
    public void Only_file_systems_that_write_a_reserved_page_in_place_are_mapped()
    {
        using var store = new TempStore();
        var path = store.PathOf("probe");
        File.WriteAllText(path, "x");

        // The test directory is on ext4 or tmpfs here; /dev/shm is tmpfs; /proc is neither.
        Assert.True(MappedFileSupport.IsSafe(path));
        Assert.True(MappedFileSupport.IsSafe("/dev/shm"));
        Assert.False(MappedFileSupport.IsSafe("/proc/self/status"));
        Assert.False(MappedFileSupport.IsSafe(store.PathOf("no-such-directory/probe")));
    }

    [Fact]
    public void A_run_keeps_NUL_bytes_reserved_past_its_last_record_and_closing_cuts_them_off()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("a");
            session.Complete("b");

            var bytes = CheckpointFile.ReadBytes(location.FilePath);
            var written = CheckpointFile.ReadWritten(location.FilePath);
            Assert.True(bytes.Length > written.Length, "no space was reserved past the last record");
            Assert.Equal((byte)'\n', written[^1]);
            Assert.Equal(2, CheckpointInspector.ReadStatus(location).Completed);
            session.Finish();
        }

        var closed = CheckpointFile.ReadBytes(location.FilePath);
        Assert.DoesNotContain((byte)0, closed);
        Assert.Equal((byte)'\n', closed[^1]);
    }

    [Fact]
    public void A_killed_runs_reserved_NUL_bytes_are_no_torn_record_for_readers_or_the_next_run()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("killed.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        using (var host = TestHostProcess.Start("run", checkpoint, "100000", log, "1", nameof(Durability.Normal), "--keep"))
        {
            host.WaitForLine("ready", s_timeout);
            while (!File.Exists(log) || File.ReadAllLines(log).Length < 20)
            {
                Thread.Sleep(20);
            }

            Assert.True(host.Kill(), "the test host ended before it was killed");
        }

        var bytes = CheckpointFile.ReadBytes(checkpoint);
        Assert.Equal(0, bytes[^1]);
        var location = CheckpointLocation.FromPath(checkpoint);
        var completed = CheckpointInspector.ReadStatus(location).Completed;
        Assert.True(completed >= 19, $"{completed} items completed");

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            Assert.False(session.Resume.RepairedTornRecord);
            Assert.Equal(completed, session.Resume.Completed);
            Assert.Equal(ItemOutcomeKind.Completed, session.Complete("after-the-kill").Kind);
            session.Finish();
        }

        Assert.DoesNotContain((byte)0, CheckpointFile.ReadBytes(checkpoint));
        Assert.Contains(CheckpointFile.Records(checkpoint, "item-completed"), r => r.GetProperty("key").GetString() == "after-the-kill");
    }

    [Fact]
    public void Closing_cuts_the_reserved_space_before_its_flush_to_disk_so_one_flush_makes_records_and_cut_durable()
    {
        using var store = new TempStore();
        var path = store.PathOf("close.jsonl");
        File.WriteAllText(path, "header\n");
        var appender = Assert.IsType<MappedJournalAppender>(MappedJournalAppender.Open(path, 7));
        long? lengthAtFlush = null;
        appender.FlushStarting = () => lengthAtFlush = new FileInfo(path).Length;
        appender.Append(new ArraySegment<byte>(System.Text.Encoding.ASCII.GetBytes(new string('x', 99) + "\n")));
        Assert.True(new FileInfo(path).Length > 107, "no space was reserved past the record");

        appender.Dispose();

        Assert.Equal(107, lengthAtFlush);
        Assert.Equal(1, appender.DiskFlushes);
        Assert.Equal(107, new FileInfo(path).Length);
    }

    [LinuxFact]
    public void A_run_killed_in_its_close_between_the_cut_and_the_flush_leaves_every_record_and_no_reserved_space()
    {
        using var store = new TempStore();
        var checkpoint = store.PathOf("closing.checkpoint.jsonl");
        var log = store.PathOf("side-effects.log");
        using (var host = TestHostProcess.Start("run", checkpoint, "50", log, "0", nameof(Durability.Normal), "--keep", "--die-at-close-flush"))
        {
            host.WaitForLine("finishing", s_timeout);
            Assert.NotEqual(0, host.WaitForExit(s_timeout));
        }

        // Cut before the kill, and every record (the run's end too) in the file the kill left.
        var bytes = CheckpointFile.ReadBytes(checkpoint);
        Assert.DoesNotContain((byte)0, bytes);
        Assert.Equal((byte)'\n', bytes[^1]);
        var location = CheckpointLocation.FromPath(checkpoint);
        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal((50, CheckpointState.Completed), (status.Completed, status.State));

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        Assert.False(session.Resume.RepairedTornRecord);
        Assert.Equal(50, session.Resume.Completed);
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Process("item-0007", _ => null).Kind);
        session.Finish();
    }

    [Fact]
    public void An_append_that_grows_the_mapping_does_not_wait_for_a_flush_to_disk_in_progress()
    {
        // An fsync of a second of records took 96 ms at 1M items: the append that had to grow the mapping then waited
        // for it (the benchmark's slowest item).
        using var store = new TempStore();
        var path = store.PathOf("grow.jsonl");
        File.WriteAllText(path, "header\n");
        var appender = Assert.IsType<MappedJournalAppender>(MappedJournalAppender.Open(path, 7));
        using var flushing = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        appender.FlushStarting = () =>
        {
            flushing.Set();
            release.Wait();
        };
        var record = new ArraySegment<byte>(System.Text.Encoding.ASCII.GetBytes(new string('x', 99) + "\n"));
        appender.Append(record);
        var flush = new Thread(appender.FlushToDisk);
        flush.Start();
        try
        {
            Assert.True(flushing.Wait(s_timeout));
            var grow = new Thread(() =>
            {
                // 300 KB: past the space reserved when it opened, so the mapping grows.
                for (var i = 0; i < 3000; i++)
                {
                    appender.Append(record);
                }
            });
            grow.Start();

            Assert.True(grow.Join(TimeSpan.FromSeconds(20)), "an append waited for the flush to disk");
        }
        finally
        {
            release.Set();
            flush.Join(s_timeout);
        }

        appender.Dispose();
        Assert.Equal(7 + (3001 * 100), new FileInfo(path).Length);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    public void A_reader_that_copied_a_page_before_the_writer_filled_it_reads_the_line_again_instead_of_calling_it_damage(int staleAgain)
    {
        // staleAgain: how many times reading the line again still finds the writer copying it (preempted mid-record).

        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, Enumerable.Range(0, 40).Select(i => $"item-{i:D3}").ToArray());
        var bytes = File.ReadAllBytes(location.FilePath);

        // NULs from the start of the 20th record into the middle of the 21st: the reader took the page holding them
        // before the writer wrote there, and the page after it once the writer had.
        var lineStarts = Enumerable.Range(0, bytes.Length).Where(i => i == 0 || bytes[i - 1] == (byte)'\n').ToArray();
        var staleFrom = lineStarts[20];
        var staleTo = (lineStarts[21] + lineStarts[22]) / 2;
        using var stream = new StalePageStream(bytes, staleFrom, staleTo, staleAgain);

        var loaded = JournalLoader.Load(stream, location.FilePath);

        Assert.True(stream.StaleReads > 0, "the stale range was never read");
        Assert.Equal(40, loaded.Keys.Completed);
        Assert.False(loaded.Scan.TornTail);
    }
}
