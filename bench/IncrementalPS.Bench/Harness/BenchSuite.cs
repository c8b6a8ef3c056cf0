using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using IncrementalPS.Bench.Measuring;

namespace IncrementalPS.Bench.Harness;

/// <summary>Runs a plan: every measurement in its own child process, in a work directory removed at the end.</summary>
internal sealed class BenchSuite
{
    private readonly BenchPlan _plan;
    private readonly string _workDirectory;
    private readonly Dictionary<(string Peer, int Items), string> _fixtures = new();

    public BenchSuite(BenchPlan plan, string workDirectory)
    {
        _plan = plan;
        _workDirectory = workDirectory;
    }

    public BenchResults Run()
    {
        Directory.CreateDirectory(_workDirectory);
        var results = new BenchResults(_plan, MachineInfo.Describe(_workDirectory));
        var clock = Stopwatch.StartNew();
        try
        {
            // The peers of one size take turns, one repetition each: a slow spell of this shared machine then falls on
            // one repetition of several peers, which the medians drop, not on every repetition of one peer.
            foreach (var size in _plan.Runs.GroupBy(spec => spec.Items))
            {
                var specs = size.ToList();
                var runs = specs.Select(_ => new List<RunResult>()).ToList();
                for (var repetition = 1; repetition <= specs.Max(spec => spec.Repetitions); repetition++)
                {
                    for (var i = 0; i < specs.Count; i++)
                    {
                        if (repetition <= specs[i].Repetitions)
                        {
                            runs[i].Add(RunOnce(specs[i], repetition));
                        }
                    }
                }

                for (var i = 0; i < specs.Count; i++)
                {
                    results.Add(runs[i].OrderBy(r => r.UsPerItem).ElementAt(runs[i].Count / 2));
                }
            }

            foreach (var spec in _plan.Loads)
            {
                results.Add(spec.Items, Median(spec));
            }

            if (_plan.ModuleItems > 0)
            {
                results.Module = ChildProcess.Run<ModuleResult>(["--child-module", Invariant(_plan.ModuleItems), "--dir", Path.Combine(_workDirectory, "module")]);
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"  module {results.Module.Items:N0} items: ForEach-Object {results.Module.ForEachObjectUs:F2}, Invoke-Incremental {results.Module.DefaultKeyUs:F2}, with -Key {{ $_ }} {results.Module.ScriptKeyUs:F2} µs/item"));
            }
        }
        finally
        {
            Directory.Delete(_workDirectory, recursive: true);
        }

        results.Elapsed = clock.Elapsed;
        results.LoadAverageAtEnd = MachineInfo.ReadLoadAverage();
        results.StepNsAtEnd = MachineInfo.ReferenceStepNs();
        results.MemoryNsAtEnd = MachineInfo.MemoryReadNs();
        return results;
    }

    private RunResult RunOnce(RunSpec spec, int repetition)
    {
        var directory = Path.Combine(_workDirectory, $"{spec.Peer}-{spec.Items}-{repetition}");
        var arguments = new List<string>
        {
            "--child-run", spec.Peer, "--items", Invariant(spec.Items), "--dir", directory, "--warmup-ms", Invariant(_plan.Warmup.TotalMilliseconds),
        };
        if (spec.MaxSeconds is { } seconds)
        {
            arguments.AddRange(["--max-seconds", Invariant(seconds)]);
        }

        var result = ChildProcess.Run<RunResult>(arguments, asIncpsRuns: true);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {spec.Peer,-17} {spec.Items,9:N0} items  run {repetition}/{spec.Repetitions}: {result.UsPerItem,9:F2} µs/item{(result.TimeBoxed ? $" (stopped after {result.Done:N0} items)" : "")}"));

        if (spec.KeepFixture && repetition == spec.Repetitions)
        {
            _fixtures[(spec.Peer, spec.Items)] = Path.Combine(directory, "run");
        }
        else
        {
            Directory.Delete(directory, recursive: true);
        }

        return result;
    }

    private LoadResult Median(LoadSpec spec)
    {
        var fixturePeer = LoadMeasurement.FixturePeer(spec.Kind);
        if (!_fixtures.TryGetValue((fixturePeer, spec.Items), out var fixture))
        {
            throw new InvalidOperationException($"The plan loads {spec.Kind} at {spec.Items} items but keeps no {fixturePeer} checkpoint of that size.");
        }

        var loads = new List<LoadResult>();
        for (var repetition = 1; repetition <= spec.Repetitions; repetition++)
        {
            var result = ChildProcess.Run<LoadResult>(["--child-load", spec.Kind, "--dir", fixture], asIncpsRuns: true);
            loads.Add(result);
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"  load {spec.Kind,-12} {spec.Items,9:N0} items  run {repetition}/{spec.Repetitions}: {result.ColdMs,9:F1} ms cold, {result.WarmMs:F1} ms warm"));
        }

        return loads.OrderBy(r => r.ColdMs).ElementAt(loads.Count / 2);
    }

    private static string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
}
