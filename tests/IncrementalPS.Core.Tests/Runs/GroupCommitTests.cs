using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>At Full durability each result is on disk before Process returns; concurrent callers share fsyncs.</summary>
public sealed class GroupCommitTests
{
    [Fact]
    public void One_caller_at_full_durability_flushes_every_result()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options(o => o.Durability = Durability.Full));
        var before = session.DiskFlushes;

        foreach (var key in Sessions.Keys("k", 50))
        {
            session.Process(key, _ => null);
        }

        Assert.Equal(50, session.DiskFlushes - before);
    }

    [Fact]
    public void Concurrent_callers_at_full_durability_record_every_result()
    {
        using var store = new TempStore();
        var location = store.Named();
        var keys = Sessions.Keys("k", 400);
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => { o.Durability = Durability.Full; o.Keep = true; })))
        {
            using var gate = new Barrier(8);
            Parallel.ForEach(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
            {
                gate.SignalAndWait();
                for (var i = worker; i < keys.Count; i += 8)
                {
                    session.Process(keys[i], _ => null);
                }
            });

            session.Finish();
        }

        Assert.Equal(400, CheckpointInspector.ReadStatus(location).Completed);
    }

    [Fact]
    public void One_fsync_covers_every_result_appended_before_it_starts()
    {
        // What lets results finishing together on several threads share a flush: whoever flushes first flushes all.
        using var store = new TempStore();
        var path = store.PathOf("journal.jsonl");
        System.IO.File.WriteAllText(path, string.Empty);
        using var journal = JournalAppender.Open(path, 0);
        var record = new System.ArraySegment<byte>(System.Text.Encoding.UTF8.GetBytes("{}\n"));
        journal.Append(record);
        var first = journal.WrittenEnd;
        journal.Append(record);
        var second = journal.WrittenEnd;
        journal.Append(record);
        var third = journal.WrittenEnd;

        journal.MakeDurable(second);
        journal.MakeDurable(first);
        journal.MakeDurable(third);
        Assert.Equal(1, journal.DiskFlushes);

        journal.Append(record);
        journal.MakeDurable(journal.WrittenEnd);
        Assert.Equal(2, journal.DiskFlushes);
    }
}
