using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using IncrementalPS.Core;
using Npgsql;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// Items per second through the PostgreSQL store with 1, 2, 4 and 8 workers on one checkpoint, no-op items, beside
/// the usual hand-written alternative (one claim per item with INSERT … ON CONFLICT DO NOTHING, then one UPDATE to mark
/// it done). Every worker is given the whole input, as when the same command runs on several machines; workers are
/// threads of this process, each with its own connections, so on a small machine they share its cores with the server.
/// </summary>
internal static class SharedStoreThroughput
{
    private static readonly int[] s_workers = { 1, 2, 4, 8 };

    public static void Run(string connectionString, int items)
    {
        var target = PostgresTarget.Parse(connectionString);
        var keys = Enumerable.Range(0, items).Select(i => $"item-{i:D7}").ToList();
        Console.WriteLine($"| workers | IncrementalPS store, items/s | hand-written (claim + mark done), items/s |");
        Console.WriteLine("| ---: | ---: | ---: |");
        foreach (var workers in s_workers)
        {
            var store = Measure(workers, w => RunStoreWorker(target, "bench-" + workers, keys));
            CreateTable(connectionString, "bench_" + workers);
            var handWritten = Measure(workers, w => RunHandWrittenWorker(connectionString, "bench_" + workers, keys));
            Console.WriteLine(Reporting.Format.Invariant($"| {workers} | {items / store.TotalSeconds:F0} | {items / handWritten.TotalSeconds:F0} |"));
        }
    }

    private static void CreateTable(string connectionString, string table)
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

    private static void RunStoreWorker(PostgresTarget target, string name, IReadOnlyList<string> keys)
    {
        var options = new RunOptions { Writer = "IncrementalPS.Bench", Keep = true, HeldItemPoll = TimeSpan.FromMilliseconds(20) };
        using var session = PostgresCheckpoint.Start(target, PostgresCheckpoint.Locate(target, name), options, PostgresCheckpoint.DefaultLease);
        foreach (var key in keys)
        {
            session.Process(key, _ => null);
        }

        session.ProcessHeld(_ => { });
        session.Finish();
    }

    private static void RunHandWrittenWorker(string connectionString, string table, IReadOnlyList<string> keys)
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
