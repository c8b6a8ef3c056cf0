using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using IncrementalPS.Bench.Harness;
using IncrementalPS.Core;
using Npgsql;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// Items per second through the PostgreSQL store with 1, 2, 4 and 8 workers on one checkpoint, no-op items: with
/// <see cref="CheckpointSession.Process"/> (a claim and a result trip per claimed item) and with
/// <see cref="CheckpointSession.ProcessPipelined"/> (the result rides with the next claim), beside the usual
/// hand-written alternative (per item an autocommitted INSERT … ON CONFLICT DO NOTHING to claim it, then an UPDATE to
/// mark it done) and beside the file store (one worker: it cannot be shared). Every worker is given the whole input,
/// as when the same command runs on several machines; workers are threads of this process, each with its own
/// connections, so on a small machine they share its cores with the server. Each figure is the best of the rounds.
/// </summary>
internal static class SharedStoreThroughput
{
    private static readonly int[] s_workers = { 1, 2, 4, 8 };

    public static void Run(string connectionString, int items, int rounds)
    {
        var keys = Enumerable.Range(0, items).Select(i => $"item-{i:D7}").ToList();
        Console.WriteLine(Reporting.Format.Invariant($"{items} no-op items, best of {rounds} rounds; load average before: {MachineInfo.ReadLoadAverage()}; speed: {MachineInfo.DescribeSpeed()}"));
        Console.WriteLine(Reporting.Format.Invariant($"File store, 1 worker: {items / Best(rounds, () => RunFileStore(keys)).TotalSeconds:F0} items/s"));
        Table(connectionString, keys, rounds, "synchronous_commit as the server has it (on)");

        // Durability off, only to show what the commit's wait costs: never what the product does on its own.
        var asyncCommit = new NpgsqlConnectionStringBuilder(connectionString) { Options = "-c synchronous_commit=off" }.ConnectionString;
        Table(asyncCommit, keys, rounds, "synchronous_commit=off (NOT durable; for comparison only)");
        Console.WriteLine(Reporting.Format.Invariant($"load average after: {MachineInfo.ReadLoadAverage()}; speed: {MachineInfo.DescribeSpeed()}"));
    }

    private static void Table(string connectionString, List<string> keys, int rounds, string label)
    {
        var target = PostgresTarget.Parse(connectionString);
        Console.WriteLine();
        Console.WriteLine(label);
        Console.WriteLine("| workers | store, Process, items/s | store, ProcessPipelined, items/s | trips per item (pipelined) | store, pipelined + claims ahead, items/s | trips per item (ahead) | hand-written, items/s |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        var run = 0;
        var prefix = Guid.NewGuid().ToString("N").Substring(0, 8);
        foreach (var workers in s_workers)
        {
            var sync = Best(rounds, () =>
            {
                var name = $"bench-{prefix}-{++run}";
                return Measured(Measure(workers, _ => RunStoreWorker(target, name, keys, pipelined: false)), connectionString, target, name, null);
            });
            long trips = 0;
            var pipelined = Best(rounds, () =>
            {
                var name = $"bench-{prefix}-{++run}";
                trips = 0;
                return Measured(Measure(workers, _ => Interlocked.Add(ref trips, RunStoreWorker(target, name, keys, pipelined: true))), connectionString, target, name, null);
            });
            long aheadTrips = 0;
            var ahead = Best(rounds, () =>
            {
                var name = $"bench-{prefix}-{++run}";
                aheadTrips = 0;
                return Measured(Measure(workers, _ => Interlocked.Add(ref aheadTrips, RunStoreWorker(target, name, keys, pipelined: true, ahead: true))), connectionString, target, name, null);
            });
            var handWritten = Best(rounds, () =>
            {
                var table = $"bench_{prefix}_{++run}";
                CreateTable(connectionString, table);
                return Measured(Measure(workers, _ => RunHandWrittenWorker(connectionString, table, keys)), connectionString, target, null, table);
            });
            Console.WriteLine(Reporting.Format.Invariant(
                $"| {workers} | {keys.Count / sync.TotalSeconds:F0} | {keys.Count / pipelined.TotalSeconds:F0} | {(double)trips / keys.Count:F2} | {keys.Count / ahead.TotalSeconds:F0} | {(double)aheadTrips / keys.Count:F2} | {keys.Count / handWritten.TotalSeconds:F0} |"));
        }
    }

    /// <summary>
    /// Removes what a round left (after its clock stopped): rounds kept for ever made the tables grow run after run, and
    /// the same build measured slower each time (5 million rows after an afternoon of runs).
    /// </summary>
    internal static void Forget(string connectionString, PostgresTarget target, string? checkpoint, string? table)
    {
        if (checkpoint is not null)
        {
            PostgresReset.Remove(target, checkpoint, force: true);
        }

        if (table is not null)
        {
            using var connection = new NpgsqlConnection(connectionString);
            connection.Open();
            using var drop = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}", connection);
            drop.ExecuteNonQuery();
        }
    }

    private static TimeSpan Measured(TimeSpan elapsed, string connectionString, PostgresTarget target, string? checkpoint, string? table)
    {
        Forget(connectionString, target, checkpoint, table);
        return elapsed;
    }

    private static TimeSpan Best(int rounds, Func<TimeSpan> measure)
        => Enumerable.Range(0, rounds).Select(_ => measure()).Min();

    internal static void CreateTable(string connectionString, string table)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var create = new NpgsqlCommand($"DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (key text PRIMARY KEY, done boolean NOT NULL DEFAULT false)", connection);
        create.ExecuteNonQuery();
    }

    private static TimeSpan Measure(int workers, Action<int> worker)
    {
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() => worker(w))).ToList();
        var clock = Stopwatch.StartNew();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return clock.Elapsed;
    }

    /// <summary>One worker over the whole input; returns its round trips for items (the heartbeat's not counted).</summary>
    internal static long RunStoreWorker(PostgresTarget target, string name, List<string> keys, bool pipelined, bool ahead = false)
    {
        var options = new RunOptions { Writer = "IncrementalPS.Bench", Keep = true, HeldItemPoll = TimeSpan.FromMilliseconds(20) };
        var store = PostgresRunStore.Open(target, name, options, PostgresCheckpoint.DefaultLease);
        using var session = CheckpointSession.Start(PostgresCheckpoint.Locate(target, name), store, options);
        for (var i = 0; i < keys.Count; i++)
        {
            if (ahead)
            {
                // As incps does: the keys of the lines read ahead go with each item, and the store claims them too.
                var upcoming = new List<string>(PostgresRunStore.ClaimAhead);
                for (var j = i + 1; j < keys.Count && j <= i + PostgresRunStore.ClaimAhead; j++)
                {
                    upcoming.Add(keys[j]);
                }

                session.ProcessPipelined(keys[i], upcoming, _ => null);
            }
            else if (pipelined)
            {
                session.ProcessPipelined(keys[i], _ => null);
            }
            else
            {
                session.Process(keys[i], _ => null);
            }
        }

        session.SettlePipelined();
        session.ProcessHeld(_ => { });
        var trips = store.RoundTrips;
        session.Finish();
        return trips;
    }

    private static TimeSpan RunFileStore(IReadOnlyList<string> keys)
    {
        var directory = Path.Combine(Path.GetTempPath(), "incps-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var clock = Stopwatch.StartNew();
            using var session = CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(directory, "bench.jsonl")), new RunOptions { Writer = "IncrementalPS.Bench", Keep = true });
            foreach (var key in keys)
            {
                session.Process(key, _ => null);
            }

            session.Finish();
            return clock.Elapsed;
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    internal static void RunHandWrittenWorker(string connectionString, string table, IReadOnlyList<string> keys)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var claim = new NpgsqlCommand($"INSERT INTO {table} (key) VALUES (@k) ON CONFLICT DO NOTHING", connection);
        var claimKey = new NpgsqlParameter<string>("k", string.Empty);
        claim.Parameters.Add(claimKey);
        using var done = new NpgsqlCommand($"UPDATE {table} SET done = true WHERE key = @k", connection);
        var doneKey = new NpgsqlParameter<string>("k", string.Empty);
        done.Parameters.Add(doneKey);
        foreach (var key in keys)
        {
            claimKey.TypedValue = key;
            if (claim.ExecuteNonQuery() == 1)
            {
                doneKey.TypedValue = key;
                done.ExecuteNonQuery();
            }
        }
    }
}
