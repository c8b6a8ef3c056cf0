using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IncrementalPS.Core;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// A small real job for incps: a working directory with a store, items, and a command (/bin/sh, run directly by
/// incps as the user's program) that appends each item to a marker file, the side effect the tests count.
/// </summary>
internal sealed class Job : IDisposable
{
    private readonly TempDirectory _directory = new();

    public Job(string name = "job")
    {
        Name = name;
        Store = _directory.Combine("store");
        Marker = _directory.Combine("marker.txt");
    }

    public string Name { get; }

    public string Directory => _directory.Path;

    public string Store { get; }

    public string Marker { get; }

    public CheckpointLocation Location => CheckpointLocation.FromName(Name, Store);

    public static IReadOnlyList<string> Items(int count, string prefix = "item") =>
        Enumerable.Range(1, count).Select(i => $"{prefix}-{i:000}").ToList();

    public static string Lines(IEnumerable<string> items) => string.Concat(items.Select(i => i + "\n"));

    /// <summary>The command that records the item in the marker first, then takes <paramref name="sleep"/> seconds.</summary>
    public string[] MarkCommand(string sleep = "0") =>
        new[] { "/bin/sh", "-c", $"echo \"$1\" >> \"$2\"; sleep {sleep}", "sh", "{}", Marker };

    /// <summary>Like <see cref="MarkCommand"/>, but the items named in <paramref name="failing"/> exit with 3 after writing to stderr.</summary>
    public string[] MarkCommandFailingFor(params string[] failing) =>
        new[]
        {
            "/bin/sh", "-c",
            "echo \"$1\" >> \"$2\"; case \" $3 \" in *\" $1 \"*) echo \"cannot handle $1\" >&2; exit 3;; esac",
            "sh", "{}", Marker, string.Join(' ', failing),
        };

    /// <summary>The marker's lines: one per execution of the command.</summary>
    public IReadOnlyList<string> Executions() =>
        File.Exists(Marker) ? File.ReadAllLines(Marker).Where(l => l.Length > 0).ToList() : Array.Empty<string>();

    /// <summary>Runs <c>incps</c> with <paramref name="args"/> and <paramref name="input"/>, to the end.</summary>
    public IncpsResult Incps(string input, params string[] args) => IncpsProcess.Run(Directory, Store, args, input);

    /// <summary>Starts <c>incps</c> with <paramref name="args"/>; the caller feeds and closes its input.</summary>
    public IncpsProcess Start(params string[] args) => IncpsProcess.Start(Directory, Store, args);

    /// <summary>
    /// Starts a run that has processed item "a" and now holds the checkpoint while it waits for more input, which
    /// the test holds back; close its <see cref="IncpsProcess.Input"/> to let it finish.
    /// </summary>
    public IncpsProcess StartHolding(params string[] options)
    {
        var run = Start(RunArgs(Name, options, MarkCommand()));
        run.Input.Write("a\n");
        run.Input.Flush();
        if (!run.WaitUntil(() => Executions().Count == 1, IncpsProcess.DefaultTimeout))
        {
            run.Dispose();
            throw new InvalidOperationException("incps did not process its first item:\n" + run.Stderr);
        }

        return run;
    }

    /// <summary><c>incps run {name} {options} -- {command}</c>.</summary>
    public static string[] RunArgs(string name, IEnumerable<string> options, IEnumerable<string> command) =>
        new[] { "run", name }.Concat(options).Append("--").Concat(command).ToArray();

    public void Dispose() => _directory.Dispose();
}
