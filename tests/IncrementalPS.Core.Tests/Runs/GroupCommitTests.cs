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
    public void Concurrent_callers_at_full_durability_share_fsyncs_and_every_result_is_recorded()
    {
        using var store = new TempStore();
        var location = store.Named();
        var keys = Sessions.Keys("k", 400);
        long flushes;
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => { o.Durability = Durability.Full; o.Keep = true; })))
        {
            var before = session.DiskFlushes;
            using var gate = new Barrier(8);
            Parallel.ForEach(Enumerable.Range(0, 8), new ParallelOptions { MaxDegreeOfParallelism = 8 }, worker =>
            {
                gate.SignalAndWait();
                for (var i = worker; i < keys.Count; i += 8)
                {
                    session.Process(keys[i], _ => null);
                }
            });

            flushes = session.DiskFlushes - before;
            session.Finish();
        }

        Assert.Equal(400, CheckpointInspector.ReadStatus(location).Completed);
        Assert.InRange(flushes, 1, 399);
    }
}
