using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>What <c>incps status</c> prints for a checkpoint in a PostgreSQL store: counts, rate and ETA over all workers, and the live workers.</summary>
internal static class SharedStatusView
{
    public static void Write(SharedCheckpointStatus status, TextWriter output)
    {
        var seen = status.Completed + status.Failed + status.InFlight;
        var percent = status.Total is long total && total > 0
            ? string.Format(CultureInfo.InvariantCulture, " ({0:0.0}%)", 100.0 * (status.Completed + status.Failed) / total)
            : string.Empty;
        var lines = new List<(string Label, string Value)>
        {
            ("Name", status.Name),
            ("Store", status.Store),
            ("State", JsonOutput.StateName(status.State)),
            ("Completed", CliFormat.Number(status.Completed)),
            ("Failed", CliFormat.Number(status.Failed)),
            ("In flight", CliFormat.Number(status.InFlight)),
            ("Total", status.Total is null ? "unknown (at least " + CliFormat.Number(seen) + " seen)" : CliFormat.Number(status.Total) + percent),
            ("Rate", status.Rate is double rate ? rate.ToString("0.0", CultureInfo.InvariantCulture) + " items/s (all workers)" : "-"),
            ("ETA", status.Eta is TimeSpan eta ? CliFormat.Duration(eta) : "-"),
            ("Started", CliFormat.Time(status.StartedAt)),
            ("Updated", CliFormat.Time(status.UpdatedAt)),
            ("Runs", CliFormat.Number(status.Runs)),
            ("Workers", CliFormat.Number(status.LiveWorkers.Count) + " live"),
        };
        foreach (var (label, value) in lines)
        {
            output.WriteLine($"{label + ":",-11} {value}");
        }

        if (status.LiveWorkers.Count == 0)
        {
            return;
        }

        output.WriteLine();
        var table = new TextTable("RUN", "HOST", "PID", "SINCE", "HEARTBEAT", "DONE");
        foreach (var worker in status.LiveWorkers)
        {
            table.Add(
                worker.Run.ToString(CultureInfo.InvariantCulture), worker.Host, worker.ProcessId.ToString(CultureInfo.InvariantCulture),
                CliFormat.Time(worker.Since), CliFormat.Time(worker.LastHeartbeat), CliFormat.Number(worker.Done));
        }

        table.WriteTo(output);
    }
}
