using System;
using System.Collections.Generic;
using System.Linq;
using IncrementalPS.Bench.Measuring;

namespace IncrementalPS.Bench.Harness;

/// <summary>The median result of every run and load a plan asked for.</summary>
internal sealed class BenchResults
{
    private readonly Dictionary<(string Peer, int Items), RunResult> _runs = new();
    private readonly Dictionary<(string Kind, int Items), LoadResult> _loads = new();

    public BenchResults(BenchPlan plan, MachineInfo machine)
    {
        Plan = plan;
        Machine = machine;
    }

    public BenchPlan Plan { get; }

    public MachineInfo Machine { get; }

    public DateTimeOffset StartedAt { get; } = DateTimeOffset.UtcNow;

    public TimeSpan Elapsed { get; set; }

    /// <summary>The load averages when the run ended.</summary>
    public string LoadAverageAtEnd { get; set; } = "n/a";

    /// <summary><see cref="MachineInfo.ReferenceStepNs"/> when the run ended.</summary>
    public double StepNsAtEnd { get; set; }

    /// <summary><see cref="MachineInfo.MemoryReadNs"/> when the run ended.</summary>
    public double MemoryNsAtEnd { get; set; }

    public IEnumerable<RunResult> Runs => _runs.Values;

    /// <summary>Invoke-Incremental against ForEach-Object, when the plan measured it.</summary>
    public ModuleResult? Module { get; set; }

    public void Add(RunResult median) => _runs[(median.Peer, median.Items)] = median;

    public void Add(int items, LoadResult median) => _loads[(median.Kind, items)] = median;

    public RunResult? Run(string peer, int items) => _runs.GetValueOrDefault((peer, items));

    public LoadResult? Load(string kind, int items) => _loads.GetValueOrDefault((kind, items));

    public IEnumerable<int> SizesOf(string peer) => _runs.Keys.Where(k => k.Peer == peer).Select(k => k.Items).Order();
}
