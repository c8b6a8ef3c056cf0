using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using IncrementalPS.Bench.Peers;
using IncrementalPS.Core;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// Where a load's time goes, stage by stage, on an existing engine checkpoint: each stage does the previous one's work
/// plus one more step, so the differences are the steps' costs. Uses the engine's internal reader types
/// (InternalsVisibleTo); run it by hand with --load-breakdown &lt;run directory&gt;.
/// </summary>
internal static class LoadBreakdown
{
    private const int Repetitions = 5;

    public static void Run(string directory)
    {
        var path = EnginePeer.LocationIn(directory).FilePath;
        var stages = new List<(string Name, Func<long> Work)>
        {
            ("read the file (64 KB reads)", () => ReadAll(path)),
            ("+ split lines", () => CountLines(path)),
            ("+ parse records (JournalScanner)", () => Scan(path)),
            ("+ key table (JournalLoader.Load)", () => JournalLoader.Load(path).Keys.Count),
            ("CheckpointSession.Start + Dispose", () => StartAndDispose(directory)),
        };

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{path}: {new FileInfo(path).Length:N0} bytes; median of {Repetitions}, after one cold pass each"));
        foreach (var (name, work) in stages)
        {
            var cold = Time(work, out var count, out _, out _);
            var runs = Enumerable.Range(0, Repetitions).Select(repetition => (Ms: Time(work, out _, out var gcs, out var allocated), Gcs: gcs, Allocated: allocated)).OrderBy(r => r.Ms).ToList();
            var median = runs[Repetitions / 2];
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  {name,-36} {median.Ms,8:F0} ms warm {cold,8:F0} ms cold  {count,10:N0} items  {median.Allocated / (1 << 20),6:N0} MB allocated  GCs {median.Gcs}"));
        }
    }

    private static double Time(Func<long> work, out long count, out string gcs, out long allocated)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        count = work();
        clock.Stop();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        gcs = string.Create(CultureInfo.InvariantCulture, $"{GC.CollectionCount(0) - before[0]}/{GC.CollectionCount(1) - before[1]}/{GC.CollectionCount(2) - before[2]}");
        return clock.Elapsed.TotalMilliseconds;
    }

    private static long ReadAll(string path)
    {
        using var stream = JournalLoader.OpenShared(path);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, buffer.Length)) > 0)
        {
            total += read;
        }

        return total;
    }

    private static long CountLines(string path)
    {
        using var stream = JournalLoader.OpenShared(path);
        var lines = new JournalLineReader(stream);
        long count = 0;
        while (lines.TryReadLine(out _, out _, out _))
        {
            count++;
        }

        return count;
    }

    private static long Scan(string path)
    {
        using var stream = JournalLoader.OpenShared(path);
        long count = 0;
        JournalScanner.Scan(stream, path, details: false, (_, _, _) => count++);
        return count;
    }

    private static long StartAndDispose(string directory)
    {
        using var session = CheckpointSession.Start(EnginePeer.LocationIn(directory), EnginePeer.Options(Durability.Normal));
        return session.Resume.Completed;
    }
}
