using System;
using System.Globalization;

namespace IncrementalPS.Core.TestHost;

/// <summary>The arguments of the "run" command.</summary>
internal sealed class RunArguments
{
    private RunArguments(string checkpointPath, int count, string sideEffectLog, int sleepMilliseconds, Durability durability)
    {
        CheckpointPath = checkpointPath;
        Count = count;
        SideEffectLog = sideEffectLog;
        SleepMilliseconds = sleepMilliseconds;
        Durability = durability;
    }

    public string CheckpointPath { get; }

    public int Count { get; }

    public string SideEffectLog { get; }

    public int SleepMilliseconds { get; }

    public Durability Durability { get; }

    public bool Keep { get; private set; }

    /// <summary>The key whose work kills its own process, to play a poison item.</summary>
    public string? PoisonKey { get; private set; }

    public int? PoisonThreshold { get; private set; }

    /// <summary>Each item's saved output has this many characters (0: none): a large journal from few items.</summary>
    public int OutputChars { get; private set; }

    /// <summary>Kill the process when the n-th item (1-based) is handed over, before it reaches the engine.</summary>
    public int? DieAtSeen { get; private set; }

    /// <summary>Attempts per item within a run (the engine's MaxAttempts).</summary>
    public int MaxAttempts { get; private set; } = 1;

    public int RetryDelayMilliseconds { get; private set; }

    /// <summary>Each item's first n attempts in every run fail, to play a flaky item that retries.</summary>
    public int FailAttemptsInRun { get; private set; }

    /// <summary>Kill the process in the close's flush to disk of the mapped journal (after the reserved space is cut).</summary>
    public bool DieAtCloseFlush { get; private set; }

    /// <summary>Compacts during the run every this many results (0: when the engine decides), announcing each finished copy.</summary>
    public int CompactEvery { get; private set; }

    public static RunArguments Parse(string[] args)
    {
        if (args.Length < 6)
        {
            throw new FormatException("run needs <checkpoint> <count> <log> <sleep-ms> <Normal|Full>");
        }

        var parsed = new RunArguments(
            args[1],
            ParseInt(args[2]),
            args[3],
            ParseInt(args[4]),
            Enum.Parse<Durability>(args[5], ignoreCase: true));

        for (var i = 6; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--keep":
                    parsed.Keep = true;
                    break;
                case "--poison-key" when i + 1 < args.Length:
                    parsed.PoisonKey = args[++i];
                    break;
                case "--poison-threshold" when i + 1 < args.Length:
                    parsed.PoisonThreshold = ParseInt(args[++i]);
                    break;
                case "--output-chars" when i + 1 < args.Length:
                    parsed.OutputChars = ParseInt(args[++i]);
                    break;
                case "--die-at-seen" when i + 1 < args.Length:
                    parsed.DieAtSeen = ParseInt(args[++i]);
                    break;
                case "--max-attempts" when i + 1 < args.Length:
                    parsed.MaxAttempts = ParseInt(args[++i]);
                    break;
                case "--retry-delay-ms" when i + 1 < args.Length:
                    parsed.RetryDelayMilliseconds = ParseInt(args[++i]);
                    break;
                case "--fail-attempts-in-run" when i + 1 < args.Length:
                    parsed.FailAttemptsInRun = ParseInt(args[++i]);
                    break;
                case "--die-at-close-flush":
                    parsed.DieAtCloseFlush = true;
                    break;
                case "--compact-every" when i + 1 < args.Length:
                    parsed.CompactEvery = ParseInt(args[++i]);
                    break;
                default:
                    throw new FormatException($"unknown option '{args[i]}'");
            }
        }

        return parsed;
    }

    /// <summary>The key of the i-th item (0-based); the tests build the same keys.</summary>
    public static string KeyOf(int index) => "item-" + index.ToString("D4", CultureInfo.InvariantCulture);

    private static int ParseInt(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
