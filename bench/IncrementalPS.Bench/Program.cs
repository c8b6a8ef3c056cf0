using System;
using System.Linq;
using System.Globalization;
using System.IO;
using IncrementalPS.Bench.Harness;
using IncrementalPS.Bench.Measuring;
using IncrementalPS.Bench.Reporting;

namespace IncrementalPS.Bench;

/// <summary>
/// The benchmark's entry point. Without arguments: the full run, which rewrites docs/benchmarks.md. With --quick: a
/// check in under a minute that prints the ratios. The --child-* forms are the measurements themselves, each run in
/// its own process by the parent.
/// </summary>
internal static class Program
{
    private const string Usage = """
        Usage: dotnet run -c Release --project bench/IncrementalPS.Bench -- [--quick] [--out <file>] [--work <dir>]
          (no option)   measure everything (several minutes) and rewrite docs/benchmarks.md
          --quick       a check in under a minute; prints the ratios, writes no file unless --out is given
          --out <file>  where to write the report (default: docs/benchmarks.md of this repository, full run only)
          --work <dir>  where the checkpoints are written (default: a new directory under the system temp directory)
          --load-breakdown <dir>  where loading the engine checkpoint in <dir> spends its time, stage by stage
          --checksum-cost <n>     what format version 2's checksum costs per record, over n records
          --module-overhead <n>   Invoke-Incremental against ForEach-Object over n items (median of 9), alone
          --speed       the machine's core and memory speed now (every mode prints them with its figures)
          --postgres <connection> [--items <n>] [--rounds <n>]  items/s of the PostgreSQL store with 1, 2, 4, 8 workers
                        (a scratch database), beside the hand-written loop and the file store; best of the rounds
          --postgres-cpu <connection> [--workers <n>] [--items <n>] [--rounds <n>] [--hand-written]
                        where the CPU goes (this process, the server on this machine) with pipelined claims ahead
        """;

    public static int Main(string[] args)
    {
        try
        {
            // The PostgreSQL measurements run their workers in this process: with incps's runtime settings, as the
            // other measurements' children do.
            if ((args.Contains("--postgres") || args.Contains("--postgres-cpu")) && ChildProcess.RelaunchAsIncps(args) is { } exitCode)
            {
                return exitCode;
            }

            return Run(new BenchArguments(args));
        }
        catch (ArgumentException e)
        {
            Console.Error.WriteLine(e.Message);
            Console.Error.WriteLine(Usage);
            return 2;
        }
    }

    private static int Run(BenchArguments args)
    {
        if (args.Flag("--help") || args.Flag("-h"))
        {
            Console.WriteLine(Usage);
            return 0;
        }

        if (args.Value("--child-run") is { } peer)
        {
            var maxSeconds = args.Value("--max-seconds") is { } s ? double.Parse(s, CultureInfo.InvariantCulture) : (double?)null;
            var warmup = TimeSpan.FromMilliseconds(double.Parse(args.Value("--warmup-ms") ?? "1000", CultureInfo.InvariantCulture));
            var result = RunMeasurement.Run(peer, int.Parse(args.Required("--items"), CultureInfo.InvariantCulture), args.Required("--dir"), maxSeconds, warmup);
            Console.WriteLine(ChildProcess.FormatResult(result));
            return 0;
        }

        if (args.Value("--child-load") is { } kind)
        {
            Console.WriteLine(ChildProcess.FormatResult(LoadMeasurement.Run(kind, args.Required("--dir"))));
            return 0;
        }

        if (args.Value("--child-module") is { } moduleItems)
        {
            Console.WriteLine(ChildProcess.FormatResult(ModuleOverhead.Run(int.Parse(moduleItems, CultureInfo.InvariantCulture), ModuleOverhead.Repetitions, args.Required("--dir"))));
            return 0;
        }

        if (args.Flag("--speed"))
        {
            Console.WriteLine("speed: " + MachineInfo.DescribeSpeed());
            return 0;
        }

        if (args.Value("--module-overhead") is { } overheadItems)
        {
            var store = args.Value("--work") ?? Path.Combine(Path.GetTempPath(), $"incps-module-{Environment.ProcessId}");
            Console.WriteLine("speed: " + MachineInfo.DescribeSpeed());
            foreach (var line in Comparisons.ModuleLines(ModuleOverhead.Run(int.Parse(overheadItems, CultureInfo.InvariantCulture), ModuleOverhead.Repetitions, store)))
            {
                Console.WriteLine(line);
            }

            return 0;
        }

        if (args.Value("--load-breakdown") is { } checkpointDirectory)
        {
            LoadBreakdown.Run(checkpointDirectory);
            return 0;
        }

        if (args.Value("--checksum-cost") is { } records)
        {
            ChecksumCost.Run(int.Parse(records, CultureInfo.InvariantCulture), args.Value("--work") ?? Path.Combine(Path.GetTempPath(), $"incps-crc-{Environment.ProcessId}"));
            return 0;
        }

        if (args.Value("--postgres-cpu") is { } cpuConnection)
        {
            PostgresCpuSplit.Run(
                cpuConnection,
                int.Parse(args.Value("--workers") ?? "4", CultureInfo.InvariantCulture),
                int.Parse(args.Value("--items") ?? "3000", CultureInfo.InvariantCulture),
                int.Parse(args.Value("--rounds") ?? "3", CultureInfo.InvariantCulture),
                args.Flag("--hand-written"));
            return 0;
        }

        if (args.Value("--postgres") is { } connectionString)
        {
            SharedStoreThroughput.Run(
                connectionString,
                int.Parse(args.Value("--items") ?? "20000", CultureInfo.InvariantCulture),
                int.Parse(args.Value("--rounds") ?? "3", CultureInfo.InvariantCulture));
            return 0;
        }

        var quick = args.Flag("--quick");
        var output = args.Value("--out") ?? (quick ? null : DefaultReportPath());
        var work = args.Value("--work") ?? Path.Combine(Path.GetTempPath(), $"incps-bench-{Environment.ProcessId}");
        args.RejectUnknown();

        var plan = quick ? BenchPlan.Quick() : BenchPlan.Full();
        Console.WriteLine($"Measuring ({(quick ? "quick" : "full")}) in {work}");
        var results = new BenchSuite(plan, work).Run();

        if (output is not null)
        {
            MarkdownReport.Write(results, output);
            Console.WriteLine($"Wrote {output}");
        }

        Console.WriteLine(Format.Invariant($"Done in {results.Elapsed.TotalSeconds:F0} s."));
        foreach (var line in Comparisons.SummaryLines(results))
        {
            Console.WriteLine(line);
        }

        return 0;
    }

    /// <summary>docs/benchmarks.md of the repository this runs in (found from the current directory upwards).</summary>
    private static string DefaultReportPath()
    {
        for (var directory = new DirectoryInfo(Environment.CurrentDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "IncrementalPS.sln")))
            {
                return Path.Combine(directory.FullName, "docs", "benchmarks.md");
            }
        }

        throw new ArgumentException("Cannot find the repository (IncrementalPS.sln) above the current directory; give the report's path with --out.");
    }
}
