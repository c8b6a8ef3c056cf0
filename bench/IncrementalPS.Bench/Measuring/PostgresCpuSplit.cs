using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using IncrementalPS.Bench.Harness;
using IncrementalPS.Core;
using Npgsql;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// Where the CPU goes while workers run no-op items through the PostgreSQL store, pipelined with claims ahead (what
/// incps run does): per round, items/s, the CPU seconds of this process and of the server (all its processes), what
/// other processes took, what the machine's cores left idle, and context switches per item; after the last round, the server's time per statement
/// from pg_stat_statements (when the server loads it). The server must run on this machine (Linux).
/// </summary>
internal static class PostgresCpuSplit
{
    public static void Run(string connectionString, int workers, int items, int rounds, bool handWritten)
    {
        var keys = Enumerable.Range(0, items).Select(i => $"item-{i:D7}").ToList();
        var target = PostgresTarget.Parse(connectionString);
        var postmaster = Postmaster(connectionString);
        var statements = ResetStatements(connectionString);
        var prefix = Guid.NewGuid().ToString("N").Substring(0, 8);
        Console.WriteLine(Reporting.Format.Invariant(
            $"{(handWritten ? "hand-written loop" : "pipelined + claims ahead")}, {workers} workers, {items} items; {Environment.ProcessorCount} cores; postmaster {postmaster}; speed: {MachineInfo.DescribeSpeed()}"));
        Console.WriteLine("| round | items/s | client CPU ms/item | server CPU ms/item | others' CPU % | idle % | client cs/item (vol/invol) | server cs/item (vol/invol) |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        for (var round = 1; round <= rounds; round++)
        {
            var name = $"cpu-{prefix}-{round}";
            var table = $"cpu_{prefix}_{round}";
            if (handWritten)
            {
                SharedStoreThroughput.CreateTable(connectionString, table);
            }

            if (round == rounds && statements)
            {
                ResetStatements(connectionString);
            }

            var before = CpuSample.Take(postmaster);
            var clock = Stopwatch.StartNew();
            var threads = Enumerable.Range(0, workers).Select(_ => new Thread(() =>
            {
                if (handWritten)
                {
                    SharedStoreThroughput.RunHandWrittenWorker(connectionString, table, keys);
                }
                else
                {
                    SharedStoreThroughput.RunStoreWorker(target, name, keys, pipelined: true, ahead: true);
                }
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            var elapsed = clock.Elapsed.TotalSeconds;
            var d = CpuSample.Take(postmaster) - before;
            var capacity = elapsed * Environment.ProcessorCount;
            var idle = 1 - (d.MachineBusy / capacity);
            var others = Math.Max(0, d.MachineBusy - d.ClientCpu - d.ServerCpu) / capacity;
            Console.WriteLine(Reporting.Format.Invariant(
                $"| {round} | {items / elapsed:F0} | {d.ClientCpu * 1000 / items:F3} | {d.ServerCpu * 1000 / items:F3} | {others * 100:F0} | {idle * 100:F0} | {(double)d.ClientVoluntary / items:F1}/{(double)d.ClientInvoluntary / items:F1} | {(double)d.ServerVoluntary / items:F1}/{(double)d.ServerInvoluntary / items:F1} |"));
            SharedStoreThroughput.Forget(connectionString, target, handWritten ? null : name, handWritten ? table : null);
        }

        if (statements)
        {
            PrintStatements(connectionString, items);
        }
    }

    /// <summary>The server's postmaster: the parent of this connection's backend.</summary>
    private static int Postmaster(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT pg_backend_pid()", connection);
        return CpuSample.Parent((int)command.ExecuteScalar()!);
    }

    private static bool ResetStatements(string connectionString)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var check = new NpgsqlCommand("SELECT count(*) FROM pg_extension WHERE extname = 'pg_stat_statements'", connection);
        if ((long)check.ExecuteScalar()! == 0)
        {
            Console.WriteLine("(pg_stat_statements is not installed in this database: no per-statement times)");
            return false;
        }

        using var reset = new NpgsqlCommand("SELECT pg_stat_statements_reset()", connection);
        reset.ExecuteNonQuery();
        return true;
    }

    private static void PrintStatements(string connectionString, int items)
    {
        using var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        using var command = new NpgsqlCommand(
            """
            SELECT calls, total_exec_time, total_plan_time, plans, wal_records, shared_blks_hit, left(regexp_replace(query, '\s+', ' ', 'g'), 90)
            FROM pg_stat_statements ORDER BY total_exec_time + total_plan_time DESC LIMIT 10
            """,
            connection);
        using var reader = command.ExecuteReader();
        Console.WriteLine();
        Console.WriteLine("Last round, per statement (server time; ms per item over all workers):");
        Console.WriteLine("| calls | exec ms/item | plan ms/item | plans | WAL records/call | blocks hit/call | statement |");
        Console.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        while (reader.Read())
        {
            var calls = reader.GetInt64(0);
            Console.WriteLine(Reporting.Format.Invariant(
                $"| {calls} | {reader.GetDouble(1) / items:F3} | {reader.GetDouble(2) / items:F3} | {reader.GetInt64(3)} | {(double)reader.GetInt64(4) / Math.Max(1, calls):F1} | {(double)reader.GetInt64(5) / Math.Max(1, calls):F1} | {reader.GetString(6)} |"));
        }
    }
}
