using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>Process is called from several threads at once by the CLI's --jobs.</summary>
public sealed class ConcurrentProcessTests
{
    [Fact]
    public void Items_processed_from_several_threads_are_each_run_once_and_all_recorded()
    {
        using var store = new TempStore();
        var location = store.Named();
        var keys = Sessions.Keys("k", 400);
        var runs = new ConcurrentDictionary<string, int>();

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            // Every key is handed over twice, from different threads: the second must be a skip, never a second run.
            Parallel.ForEach(keys.Concat(keys), new ParallelOptions { MaxDegreeOfParallelism = 4 }, key =>
                session.Process(key, attempt =>
                {
                    runs.AddOrUpdate(attempt.Key, 1, (_, n) => n + 1);
                    return attempt.Key;
                }));

            var summary = session.Finish();
            Assert.Equal(800, summary.Seen);
            Assert.Equal(400, summary.Completed);
            Assert.Equal(400, summary.Skipped);
        }

        Assert.All(keys, k => Assert.Equal(1, runs[k]));
        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(keys, items.Select(i => i.Key).Order(System.StringComparer.Ordinal));
        Assert.All(items, i => Assert.True(i.State == ItemState.Completed && i.HasSavedOutput));
        CheckpointFile.ReadJsonLines(location.FilePath);
    }
}
