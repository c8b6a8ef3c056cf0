using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using IncrementalPS.Bench.Peers;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// Runs in a child process of its own, so memory figures and JIT state belong to one peer: a warm-up run, then the
/// measured run (Open, N × Process, Close) with its time, per-tenth cost, write() calls, allocation, memory and size.
/// </summary>
internal static class RunMeasurement
{
    private const int WarmupItems = 2_000;

    private const int Windows = 100;

    /// <param name="warmup">
    /// How long to warm up. Tiered compilation moves hot code through unoptimized and instrumented tiers before the
    /// optimized one, in the background; on a busy 2-core machine a profile still showed a fifth of a 3 s engine run
    /// in those tiers after a 300 ms warm-up. Fast peers repeat the warm-up run until this has passed.
    /// </param>
    public static RunResult Run(string peerName, int items, string directory, double? maxSeconds, TimeSpan warmup)
    {
        var keys = ItemKeys.Make(items);
        WarmUp(peerName, keys, Path.Combine(directory, "warmup"), warmup);

        var runDirectory = Path.Combine(directory, "run");
        Directory.CreateDirectory(runDirectory);
        using var peer = PeerCatalog.Create(peerName);

        Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var peakIsRunOnly = ProcessStats.TryResetPeak();

        var open = Stopwatch.StartNew();
        peer.Open(runDirectory);
        open.Stop();

        var (done, loop, marks, slowest, writeCalls, allocated) = RunItems(peer, keys, maxSeconds);

        var bytesBeforeClose = DirectorySize.Of(runDirectory);
        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);

        var close = Stopwatch.StartNew();
        peer.Close();
        close.Stop();

        var tenth = Math.Max(1, marks.Count / 10);
        var itemsPerMark = (double)done / marks.Count;
        return new RunResult
        {
            Peer = peerName,
            Items = items,
            Done = done,
            OpenMs = open.Elapsed.TotalMilliseconds,
            LoopMs = loop.TotalMilliseconds,
            CloseMs = close.Elapsed.TotalMilliseconds,
            FirstTenthUs = marks[tenth - 1].TotalMicroseconds / (tenth * itemsPerMark),
            SlowestItemMs = slowest.TotalMilliseconds,
            LastTenthUs = (marks[^1] - (marks.Count > tenth ? marks[^(tenth + 1)] : TimeSpan.Zero)).TotalMicroseconds / (tenth * itemsPerMark),
            WriteCalls = writeCalls,
            AllocatedBytes = allocated,
            RetainedBytes = heapAfter - heapBefore,
            PeakWorkingSetBytes = ProcessStats.PeakWorkingSet(),
            PeakIsRunOnly = peakIsRunOnly,
            BytesBeforeClose = bytesBeforeClose,
            BytesAfterClose = DirectorySize.Of(runDirectory),
        };
    }

    private static (int Done, TimeSpan Loop, List<TimeSpan> Marks, TimeSpan Slowest, long? WriteCalls, long Allocated) RunItems(
        ICheckpointPeer peer, string[] keys, double? maxSeconds)
    {
        // Elapsed time is read every 1/100 of the items, so the cost of the first and last tenth can be compared.
        var stride = Math.Max(1, keys.Length / Windows);
        var limit = maxSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : TimeSpan.MaxValue;
        var marks = new List<TimeSpan>(Windows + 1);
        var writesBefore = ProcessStats.WriteCalls();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        var loop = Stopwatch.StartNew();
        var done = 0;
        long slowest = 0;
        while (done < keys.Length)
        {
            // Two clock reads per item (tens of ns) find stalls an average hides: a background fsync holding a lock.
            var started = Stopwatch.GetTimestamp();
            peer.Process(keys[done]);
            slowest = Math.Max(slowest, Stopwatch.GetTimestamp() - started);
            done++;
            if (done % stride == 0 || done == keys.Length)
            {
                var elapsed = loop.Elapsed;
                marks.Add(elapsed);
                // Time-boxed runs stop on a window boundary, so the last tenth is whole windows.
                if (elapsed > limit)
                {
                    break;
                }
            }
        }

        loop.Stop();
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var writes = ProcessStats.WriteCalls() - writesBefore;

        return (done, loop.Elapsed, marks, Stopwatch.GetElapsedTime(0, slowest), writes, allocated);
    }

    private static void WarmUp(string peerName, string[] keys, string directory, TimeSpan warmup)
    {
        var clock = Stopwatch.StartNew();
        do
        {
            Directory.CreateDirectory(directory);
            using (var peer = PeerCatalog.Create(peerName))
            {
                peer.Open(directory);
                for (var i = 0; i < Math.Min(WarmupItems, keys.Length); i++)
                {
                    peer.Process(keys[i]);
                }

                peer.Close();
            }

            Directory.Delete(directory, recursive: true);
        }
        while (clock.Elapsed < warmup);
    }

    private static void Collect()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }
}
