using System;
using System.Collections.Generic;
using IncrementalPS.Bench.Measuring;
using static IncrementalPS.Bench.Peers.PeerCatalog;

namespace IncrementalPS.Bench.Harness;

/// <summary>What a full or a quick run measures.</summary>
internal sealed class BenchPlan
{
    public const int Million = 1_000_000;

    private BenchPlan(bool quick, int normalSize, int fullSize, int naiveSize, List<RunSpec> runs, List<LoadSpec> loads)
    {
        IsQuick = quick;
        NormalSize = normalSize;
        FullSize = fullSize;
        NaiveSize = naiveSize;
        Runs = runs;
        Loads = loads;
    }

    public bool IsQuick { get; }

    /// <summary>The size at which the summary compares the Normal-durability peers.</summary>
    public int NormalSize { get; }

    /// <summary>The size at which the summary compares the Full-durability peers.</summary>
    public int FullSize { get; }

    /// <summary>The size at which the summary compares the naive peer.</summary>
    public int NaiveSize { get; }

    public IReadOnlyList<RunSpec> Runs { get; }

    public IReadOnlyList<LoadSpec> Loads { get; }

    /// <summary>The items each pipeline of the module measurement pipes (100,000 in both plans, as the issue measures).</summary>
    public int ModuleItems => 100_000;

    /// <summary>How long each measured run warms up first (shorter in the quick check, to keep it under a minute).</summary>
    public TimeSpan Warmup => IsQuick ? TimeSpan.FromMilliseconds(400) : TimeSpan.FromSeconds(1);

    /// <summary>
    /// Every size for the Normal peers; Full durability only to 10k (an fsync per item makes 1M a matter of minutes);
    /// the naive peer to 10k in full and stopped after 30 s at 100k (its cost per item grows with the state).
    /// </summary>
    public static BenchPlan Full()
    {
        var runs = new List<RunSpec>();
        foreach (var size in new[] { 1_000, 10_000, 100_000, Million })
        {
            // Runs of 1k and 10k items last milliseconds, where one fsync that takes longer than usual moves the
            // figure by half (1k engine runs of one full run: 1.94 to 3.39 µs/item): more repetitions for a steadier
            // median, most where a run is shortest.
            var repetitions = size switch { < 10_000 => 11, < 100_000 => 5, < Million => 3, _ => 1 };
            foreach (var peer in new[] { Floor, EngineNormal, SqliteNormal, Joblog })
            {
                runs.Add(new RunSpec(peer, size, repetitions, KeepFixture: size == Million));
            }
        }

        runs.Add(new RunSpec(NaiveJson, 1_000, 3));
        runs.Add(new RunSpec(NaiveJson, 10_000, 1));
        runs.Add(new RunSpec(NaiveJson, 100_000, 1, MaxSeconds: 30));

        foreach (var size in new[] { 1_000, 10_000 })
        {
            foreach (var peer in new[] { EngineFull, SqliteFull, JoblogFsync })
            {
                runs.Add(new RunSpec(peer, size, 3));
            }
        }

        runs.Add(new RunSpec(NaiveJsonFsync, 1_000, 3));
        runs.Add(new RunSpec(NaiveJsonFsync, 10_000, 1, MaxSeconds: 60));

        var loads = new List<LoadSpec>();
        foreach (var kind in LoadMeasurement.Kinds)
        {
            loads.Add(new LoadSpec(kind, Million, 3));
        }

        return new BenchPlan(quick: false, normalSize: 100_000, fullSize: 10_000, naiveSize: 10_000, runs, loads);
    }

    /// <summary>Small enough to finish in under a minute, large enough that the ratios mean something.</summary>
    public static BenchPlan Quick()
    {
        const int normal = 20_000;
        const int full = 500;
        const int naive = 10_000;
        var runs = new List<RunSpec>
        {
            new(Floor, normal, 3),
            new(EngineNormal, normal, 3),
            new(SqliteNormal, normal, 3),
            new(Joblog, normal, 3),
            new(EngineFull, full, 3),
            new(SqliteFull, full, 3),
            new(JoblogFsync, full, 3),
            new(EngineNormal, naive, 3),
            new(NaiveJson, naive, 1, MaxSeconds: 15),
            new(EngineNormal, Million, 1, KeepFixture: true),
        };
        var loads = new List<LoadSpec> { new(LoadMeasurement.EngineStart, Million, 1) };
        return new BenchPlan(quick: true, normal, full, naive, runs, loads);
    }
}
