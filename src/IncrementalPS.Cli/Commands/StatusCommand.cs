using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Linq;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>incps status [name] [--json]</c>: one checkpoint's state, counts, rate, ETA and owner; without a name, every
/// checkpoint in the store. Reads without taking the lock, so it works beside a live run.
/// </summary>
internal sealed class StatusCommand : Command
{
    private readonly CheckpointTarget _target = new();
    private readonly Option<bool> _json = new("--json") { Description = "Write JSON (the stable shape documented in docs/cli-json.md)." };
    private readonly Option<bool> _watch = new("--watch", "-w") { Description = "Follow a live run with a progress bar until it ends, then show its final status (read-only; Ctrl+C stops watching)." };

    /// <summary>Creates the command.</summary>
    public StatusCommand()
        : base("status", "Show a checkpoint's state, counts, rate, ETA and owner; without a name, list every checkpoint in the store.")
    {
        _target.AddTo(this);
        Options.Add(_json);
        Options.Add(_watch);
        SetAction(result => CliErrors.Run(() => Execute(result)));
    }

    private int Execute(ParseResult result)
    {
        var json = result.GetValue(_json);
        if (result.GetValue(_watch))
        {
            return StatusWatch.Run(_target, result, json, WriteDetails);
        }

        if (_target.Database(result) is { } database)
        {
            return SharedStatus(database, result, json);
        }

        if (_target.IsEmpty(result))
        {
            return List(_target.StoreDirectory(result), json);
        }

        var status = CheckpointInspector.ReadStatus(_target.Resolve(result));
        if (json)
        {
            JsonOutput.Write(JsonOutput.FromStatus(status), c => c.StatusJson);
        }
        else
        {
            WriteDetails(status);
        }

        return ExitCodes.Success;
    }

    private int SharedStatus(PostgresTarget database, ParseResult result, bool json)
    {
        if (_target.IsEmpty(result))
        {
            var rows = PostgresStatusReader.List(database).Select(JsonOutput.FromShared).ToList();
            return WriteList(rows, json, database.Display, ExitCodes.Success);
        }

        var status = PostgresStatusReader.Read(database, _target.ResolveRun(result, out _).Name);
        if (json)
        {
            JsonOutput.Write(JsonOutput.FromShared(status), c => c.StatusJson);
        }
        else
        {
            SharedStatusView.Write(status, Console.Out);
        }

        return ExitCodes.Success;
    }

    private static int List(string? storeDirectory, bool json)
    {
        var rows = StatusRows.ReadStore(storeDirectory);
        var exitCode = ExitCodes.Success;
        foreach (var row in rows)
        {
            if (row.State == JsonOutput.UnreadableState)
            {
                // A damaged file is listed as unreadable; say why, and exit 2.
                CliConsole.Message(row.Error!);
                exitCode = ExitCodes.CouldNotRun;
            }
        }

        return WriteList(rows, json, storeDirectory ?? CheckpointStore.DefaultDirectory, exitCode);
    }

    private static int WriteList(List<StatusJson> rows, bool json, string store, int exitCode)
    {
        if (json)
        {
            JsonOutput.Write(rows, c => c.ListStatusJson);
            return exitCode;
        }

        if (rows.Count == 0)
        {
            CliConsole.Message($"no checkpoints in {store}.");
            return exitCode;
        }

        var table = new TextTable("NAME", "STATE", "COMPLETED", "FAILED", "IN FLIGHT", "TOTAL", "UPDATED");
        foreach (var row in rows)
        {
            table.Add(row.Name, row.State, CliFormat.Number(row.Completed), CliFormat.Number(row.Failed), CliFormat.Number(row.InFlight), CliFormat.Number(row.Total), CliFormat.Time(row.UpdatedAt));
        }

        table.WriteTo(Console.Out);
        return exitCode;
    }

    internal static void WriteDetails(CheckpointStatus status)
    {
        var percent = status.PercentComplete is double p ? string.Format(CultureInfo.InvariantCulture, " ({0:0.0}%)", p) : string.Empty;
        var lines = new List<(string Label, string Value)>
        {
            ("Name", status.Name),
            ("Path", status.Path),
            ("State", JsonOutput.StateName(status.State)),
            ("Completed", CliFormat.Number(status.Completed)),
            ("Failed", CliFormat.Number(status.Failed)),
            ("In flight", CliFormat.Number(status.InFlight)),
            // No run saw the end of the input and none was given a total: say how far it got, not a total it lacks.
            ("Total", status.Total is null ? "unknown (at least " + CliFormat.Number(status.Completed + status.Failed + status.InFlight) + " seen)" : CliFormat.Number(status.Total) + percent),
            ("Rate", status.Rate is double rate ? rate.ToString("0.0", CultureInfo.InvariantCulture) + " items/s" : "-"),
            ("ETA", status.Eta is TimeSpan eta ? CliFormat.Duration(eta) : "-"),
            ("Started", CliFormat.Time(status.StartedAt)),
            ("Updated", CliFormat.Time(status.UpdatedAt)),
            ("Owner", status.Owner?.ToString() ?? "-"),
            ("Runs", CliFormat.Number(status.Runs)),
            ("Format", CliFormat.Number(status.FormatVersion)),
        };
        foreach (var (label, value) in lines)
        {
            Console.Out.WriteLine($"{label + ":",-11} {value}");
        }
    }
}
