using System;
using System.Collections.Generic;
using System.Linq;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary><c>/metrics</c>: the rows the page shows, in the one Prometheus formatter the metrics file uses.</summary>
internal static class StatusMetrics
{
    // Every state the engine knows, named as status --json names it: a state added later maps without a change here.
    private static readonly CheckpointState[] s_states = Enum.GetValues<CheckpointState>();

    /// <summary>The text for <paramref name="rows"/>; a checkpoint that could not be read has no samples (its row says why).</summary>
    public static string Format(IEnumerable<StatusJson> rows)
        => PrometheusText.Format(rows.Select(FromRow).OfType<CheckpointMetrics>());

    private static CheckpointMetrics? FromRow(StatusJson row)
    {
        var known = s_states.Where(s => JsonOutput.StateName(s) == row.State).ToList();
        if (known.Count == 0)
        {
            return null;
        }

        return new CheckpointMetrics(
            row.Name,
            known[0],
            row.Completed ?? 0,
            row.Failed ?? 0,
            row.InFlight ?? 0,
            row.Total,
            row.Rate,
            row.EtaSeconds is double eta ? TimeSpan.FromSeconds(eta) : null,
            row.UpdatedAt is DateTime updated ? new DateTimeOffset(DateTime.SpecifyKind(updated, DateTimeKind.Utc)) : null);
    }
}
