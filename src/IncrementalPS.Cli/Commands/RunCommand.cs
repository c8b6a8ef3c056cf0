using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.IO;
using System.Reflection;
using System.Text;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>incps run &lt;name&gt; [options] -- &lt;command&gt; [args…]</c>: runs the command once per line of standard
/// input under a checkpoint, skipping what an earlier run did. Translates options one to one onto <see cref="RunOptions"/>.
/// </summary>
internal sealed class RunCommand : Command
{
    private readonly CheckpointTarget _target = new();
    private readonly KeyHashOptions _keyHash = new();
    private readonly IReadOnlyList<string> _commandLine;
    private readonly Argument<string[]> _stray = new("command")
    {
        Description = "Tokens given without '--' before them: only caught to say that '--' is missing.",
        Arity = ArgumentArity.ZeroOrMore,
        Hidden = true,
    };

    private readonly Option<bool> _null = new("--null", "-0") { Description = "Items are separated by NUL characters (find -print0), not lines." };
    private readonly Option<int> _jobs = new("--jobs", "-j") { Description = "Run up to this many items at once.", DefaultValueFactory = _ => 1, HelpName = "n" };
    private readonly Option<bool> _retryFailed = new("--retry-failed") { Description = "Run items that failed in earlier runs again (otherwise they are skipped)." };
    private readonly Option<int> _maxAttempts = new("--max-attempts") { Description = "Attempts per item in this run; 1 means no retry.", DefaultValueFactory = _ => 1, HelpName = "n" };
    private readonly Option<TimeSpan?> _retryDelay = new("--retry-delay")
    {
        Description = "Wait before the first retry, doubling for each further one: 1.5, 250ms, 2s, 5m, 00:01:00 (default 1s).",
        HelpName = "duration",
        CustomParser = result => ParseDuration(result.Tokens[0].Value, result),
    };

    private static readonly TimeSpan LongestTimeout = TimeSpan.FromHours(596);

    private readonly Option<TimeSpan?> _timeout = new("--timeout")
    {
        Description = "Kill a command still running after this long (with every process it started) and record the item failed: 30, 90s, 5m, 00:10:00.",
        HelpName = "duration",
        CustomParser = result => ParseDuration(result.Tokens[0].Value, result),
    };

    private readonly Option<TimeSpan?> _lease = new("--lease")
    {
        Description = "PostgreSQL store: how long this worker's claims outlive its last heartbeat before another worker takes its items over (default 30s).",
        HelpName = "duration",
        CustomParser = result => ParseDuration(result.Tokens[0].Value, result),
    };
    private readonly Option<bool> _restart = new("--restart") { Description = "Discard the existing checkpoint and start over." };
    private readonly Option<bool> _keep = new("--keep") { Description = "Keep the checkpoint when every item completed, as a ledger: later runs only process new items." };
    private readonly Option<TimeSpan?> _keepFor = new("--keep-for")
    {
        Description = "With --keep: forget completed items recorded longer ago than this when the run ends (they run again if they come back): 30d, 12h, 1.00:00:00.",
        HelpName = "duration",
        CustomParser = result => ParseDuration(result.Tokens[0].Value, result),
    };

    private readonly Option<long?> _total = new("--total") { Description = "The number of items in the input, for the progress bar and ETA (default: the count of the last run that read its input to the end).", HelpName = "n" };
    private readonly Option<string?> _progressFile = new("--progress-file") { Description = "Rewrite this file every few seconds with done/total, rate and ETA.", HelpName = "file" };
    private readonly Option<string?> _metricsFile = new("--metrics-file") { Description = "Keep this Prometheus text file (node_exporter's textfile collector: name it *.prom) up to date with the checkpoint's metrics.", HelpName = "file" };
    private readonly Option<int?> _stopExitCode = new("--stop-exit-code") { Description = "A command exiting with this code (75, say: EX_TEMPFAIL) stops the run for later: its item is not failed and runs again next time, no new item starts, and incps exits 75.", HelpName = "n" };
    private readonly Option<Durability> _durability = new("--durability") { Description = "Normal: every record reaches the OS, flushed to disk each second. Full: fsync per record.", DefaultValueFactory = _ => Durability.Normal };

    /// <summary>Creates the command; <paramref name="commandLine"/> is everything after the first "--".</summary>
    public RunCommand(IReadOnlyList<string> commandLine)
        : base("run", "Run a command once per line of standard input, skipping the items an earlier run did.\n" +
              "  incps run <name> [options] -- <command> [args…]\n" +
              "Every '{}' in the command is replaced by the item; without '{}' the item is appended as the last argument.")
    {
        _commandLine = commandLine;
        _target.AddTo(this);
        Arguments.Add(_stray);
        foreach (var option in new Option[] { _null, _jobs, _retryFailed, _maxAttempts, _retryDelay, _timeout, _lease, _restart, _keep, _keepFor, _total, _progressFile, _metricsFile, _stopExitCode, _durability })
        {
            Options.Add(option);
        }

        _keyHash.AddTo(this);
        SetAction(result => CliErrors.Run(() => Execute(result)));
    }

    /// <summary>What the checkpoint records as its writer: "incps 0.1.0".</summary>
    public static string Writer { get; } = "incps " + (typeof(RunCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    private int Execute(ParseResult result)
    {
        if (result.GetValue(_stray) is { Length: > 0 } stray)
        {
            if (stray[0].StartsWith("-", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option '{stray[0]}'; see 'incps run --help'.");
            }

            throw new UsageException($"put '--' before the command: incps run <name> [options] -- {string.Join(' ', stray)}");
        }

        if (_commandLine.Count == 0)
        {
            throw new UsageException("give the command to run after '--': incps run <name> [options] -- <command> [args…]");
        }

        var location = _target.ResolveRun(result, out var database);
        var jobs = result.GetValue(_jobs);
        var maxAttempts = result.GetValue(_maxAttempts);
        var total = result.GetValue(_total);
        if (jobs < 1)
        {
            throw new UsageException("--jobs must be at least 1.");
        }

        if (maxAttempts < 1)
        {
            throw new UsageException("--max-attempts must be at least 1 (1 means no retry).");
        }

        if (result.GetValue(_lease) is TimeSpan lease && (lease <= TimeSpan.Zero || database is null))
        {
            throw new UsageException(database is null ? "--lease applies to a PostgreSQL store (--store postgres://…)." : "--lease must be positive.");
        }

        if (result.GetValue(_stopExitCode) == 0)
        {
            throw new UsageException("--stop-exit-code cannot be 0: exit code 0 means the item is done.");
        }

        if (total < 0)
        {
            throw new UsageException("--total cannot be negative.");
        }

        var keepFor = result.GetValue(_keepFor);
        if (keepFor is TimeSpan limit && (limit <= TimeSpan.Zero || !result.GetValue(_keep)))
        {
            throw new UsageException(limit <= TimeSpan.Zero ? "--keep-for must be longer than 0." : "--keep-for limits how long a --keep ledger remembers completed items: add --keep.");
        }

        var template = new ArgumentTemplate(_commandLine);
        string? program = null;
        if (!template.ProgramIsPerItem)
        {
            // Checked before the checkpoint is touched: a typo must not start (and fail) every item.
            program = ExecutableResolver.Resolve(template.Program, out var problem)
                ?? throw new UsageException($"cannot run the command: {problem}. Nothing was changed.");
        }

        using var keyHasher = _keyHash.Create(result);
        var options = new RunOptions
        {
            Writer = Writer,
            KeyHash = keyHasher,
            Durability = result.GetValue(_durability),
            RetryFailed = result.GetValue(_retryFailed),
            MaxAttempts = maxAttempts,
            Restart = result.GetValue(_restart),
            Keep = result.GetValue(_keep),
            KeepFor = keepFor,
            TotalCount = total,
            Fingerprint = ItemKey.Fingerprint(template.ToString()),
            ProgressFile = result.GetValue(_progressFile) is string file ? Path.GetFullPath(file) : null,
            MetricsFile = result.GetValue(_metricsFile) is string metrics ? Path.GetFullPath(metrics) : null,
        };
        if (result.GetValue(_retryDelay) is TimeSpan delay)
        {
            options.RetryDelay = delay;
        }

        var timeout = result.GetValue(_timeout);
        if (timeout <= TimeSpan.Zero)
        {
            throw new UsageException("--timeout must be longer than 0.");
        }

        if (timeout > LongestTimeout)
        {
            // A timer waits at most int.MaxValue milliseconds: longer would fail every item once it started.
            throw new UsageException("--timeout can be at most 596h (24 days).");
        }

        options.Settings["command"] = template.ToString();
        options.Settings["jobs"] = jobs.ToString(CultureInfo.InvariantCulture);
        options.Settings["input"] = result.GetValue(_null) ? "nul-separated" : "lines";

        if (!Console.IsInputRedirected)
        {
            CliConsole.Message($"reading items from the terminal, one per line; end with {(OperatingSystem.IsWindows() ? "Ctrl+Z, Enter" : "Ctrl+D")}.");
        }

        // UTF-8 only (a UTF-8 byte-order mark is skipped): a UTF-16 byte-order mark does not switch the decoding, it is
        // refused (Utf16InputGuard), as decoding such input as UTF-8 would make every key wrong.
        using var input = new StreamReader(new Utf16InputGuard(Console.OpenStandardInput()), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), detectEncodingFromByteOrderMarks: false);
        var settings = new JobSettings(location, options, template, program, jobs, result.GetValue(_null), input, _target.Describe(result, location))
        {
            Timeout = timeout,
            StopExitCode = result.GetValue(_stopExitCode),
            Database = database,
            Lease = result.GetValue(_lease) ?? PostgresCheckpoint.DefaultLease,
        };
        return new JobRunner(settings, ProgressViews.ForStandardError()).Run();
    }

    private static TimeSpan? ParseDuration(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        if (DurationParser.TryParse(text, out var duration))
        {
            return duration;
        }

        result.AddError($"'{text}' is not a duration: use seconds (1.5) or 250ms, 2s, 5m, 1h, 00:01:00.");
        return null;
    }
}
