using System;
using System.Collections.Generic;
using System.Linq;
using IncrementalPS.Bench.Harness;
using IncrementalPS.Bench.Measuring;
using static IncrementalPS.Bench.Peers.PeerCatalog;

namespace IncrementalPS.Bench.Reporting;

/// <summary>The engine against each peer of the same durability, and the ratio lines a run ends with.</summary>
internal static class Comparisons
{
    /// <summary>Each peer with the engine level that gives the same durability.</summary>
    public static readonly IReadOnlyList<(string Engine, string Peer)> Pairs =
    [
        (EngineNormal, SqliteNormal),
        (EngineFull, SqliteFull),
        (EngineNormal, Joblog),
        (EngineFull, JoblogFsync),
        (EngineNormal, NaiveJson),
        (EngineFull, NaiveJsonFsync),
    ];

    /// <summary>How many times less the engine takes per item than <paramref name="peer"/> (below 1: it takes more).</summary>
    public static double? Ratio(BenchResults results, string engine, string peer, int items)
        => results.Run(engine, items) is { } e && results.Run(peer, items) is { } p ? p.UsPerItem / e.UsPerItem : null;

    /// <summary>The per-item cost over no checkpoint at all (the floor is measured at every size the plan runs it).</summary>
    public static double OverFloor(BenchResults results, RunResult run)
    {
        var floorSizes = results.SizesOf(Floor).ToList();
        if (floorSizes.Count == 0)
        {
            return run.UsPerItem;
        }

        var nearest = floorSizes.OrderBy(s => Math.Abs(Math.Log((double)s / run.Items))).First();
        return run.UsPerItem - results.Run(Floor, nearest)!.UsPerItem;
    }

    /// <summary>The lines a run ends with, for example "engine/sqlite-normal: 12.3x faster (…)".</summary>
    public static IEnumerable<string> SummaryLines(BenchResults results)
    {
        var plan = results.Plan;
        foreach (var (engine, peer) in Pairs)
        {
            var isNaive = peer is NaiveJson or NaiveJsonFsync;
            var items = isNaive ? plan.NaiveSize : engine == EngineFull ? plan.FullSize : plan.NormalSize;
            if (Ratio(results, engine, peer, items) is not { } ratio)
            {
                continue;
            }

            var e = results.Run(engine, items)!;
            var p = results.Run(peer, items)!;
            var verdict = ratio >= 1 ? $"{Format.Ratio(ratio)} faster" : $"{Format.Ratio(1 / ratio)} slower";
            var stopped = p.TimeBoxed ? $"; {peer} stopped after {Format.Count(p.Done)} items" : "";
            var label = isNaive ? $"{engine.Replace("-normal", "", StringComparison.Ordinal)}/{peer}@{Format.Size(items)}" : Label(engine, peer);
            yield return Format.Invariant(
                $"{label}: {verdict} ({Format.Count(items)} items: {Format.Micros(e.UsPerItem)} vs {Format.Micros(p.UsPerItem)} µs/item{stopped})");
        }

        if (results.Module is { } module)
        {
            foreach (var line in ModuleLines(module))
            {
                yield return line;
            }
        }

        if (results.Load(Measuring.LoadMeasurement.EngineStart, BenchPlan.Million) is { } load)
        {
            yield return Format.Invariant($"load 1M: {Format.Millis(load.ColdMs)} ms ({Format.Bytes(load.PeakWorkingSetBytes)} peak memory)");
        }
    }

    /// <summary>"engine/sqlite-normal", "engine-full/joblog-fsync": the engine level is named when the peer's name does not imply it.</summary>
    private static string Label(string engine, string peer)
    {
        var peerIsFull = peer.EndsWith("-full", StringComparison.Ordinal) || peer.EndsWith("-fsync", StringComparison.Ordinal);
        var impliesLevel = peer.EndsWith("-normal", StringComparison.Ordinal) || peer.EndsWith("-full", StringComparison.Ordinal);
        return impliesLevel ? $"engine/{peer}" : $"{(peerIsFull ? engine : "engine")}/{peer}";
    }

    /// <summary>"invoke-incremental/foreach-object: 2.1x (…)" and the same with a -Key script block.</summary>
    public static IEnumerable<string> ModuleLines(ModuleResult module)
    {
        yield return Format.Invariant(
            $"invoke-incremental/foreach-object: {module.DefaultKeyRatio:F1}x ({Format.Count(module.Items)} strings, empty block: {Format.Micros(module.DefaultKeyUs)} vs {Format.Micros(module.ForEachObjectUs)} µs/item; CPU time {module.DefaultKeyCpuRatio:F1}x)");
        yield return Format.Invariant(
            $"invoke-incremental -key/foreach-object: {module.ScriptKeyRatio:F1}x ({Format.Micros(module.ScriptKeyUs)} vs {Format.Micros(module.ForEachObjectUs)} µs/item; CPU time {module.ScriptKeyCpuRatio:F1}x)");
    }
}
