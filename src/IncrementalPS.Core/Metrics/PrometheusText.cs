using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// Renders checkpoints in the Prometheus text exposition format (version 0.0.4): what node_exporter's textfile
/// collector reads from a <c>.prom</c> file and what a scrape of <c>/metrics</c> expects. Every metric is a gauge
/// labelled <c>checkpoint="name"</c>: the counts are a checkpoint's state, and they go down (a reset forgets failed
/// items, a restart starts from zero), which a Prometheus counter must never do. No sample carries a timestamp: the
/// textfile collector refuses them. The names are documented in the README ("Metrics").
/// </summary>
internal static class PrometheusText
{
    /// <summary>The Content-Type of a scrape response in this format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public const string State = "incrementalps_checkpoint_state";
    public const string Completed = "incrementalps_items_completed";
    public const string Failed = "incrementalps_items_failed";
    public const string InFlight = "incrementalps_items_in_flight";
    public const string Total = "incrementalps_input_items";
    public const string Rate = "incrementalps_items_per_second";
    public const string Eta = "incrementalps_eta_seconds";
    public const string LastUpdate = "incrementalps_last_update_timestamp_seconds";

    // Every state the engine knows, read from the enum: a state added later gets its series without a change here.
#if NET
    private static readonly CheckpointState[] s_states = Enum.GetValues<CheckpointState>();
#else
    private static readonly CheckpointState[] s_states = (CheckpointState[])Enum.GetValues(typeof(CheckpointState));
#endif

    /// <summary>
    /// The text for <paramref name="checkpoints"/>: one family per metric (HELP, TYPE, then a sample per checkpoint).
    /// A value that is unknown (no total, no live rate) has no sample; a family with no sample at all is left out.
    /// </summary>
    /// <exception cref="ArgumentException">Two checkpoints share a name: their samples would be one series twice, which a scrape rejects.</exception>
    public static string Format(IEnumerable<CheckpointMetrics> checkpoints)
    {
        if (checkpoints is null)
        {
            throw new ArgumentNullException(nameof(checkpoints));
        }

        var list = new List<CheckpointMetrics>(checkpoints);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var checkpoint in list)
        {
            if (!names.Add(checkpoint.Name))
            {
                throw new ArgumentException($"Two checkpoints are named '{checkpoint.Name}'; metrics are labelled by name, so each may appear once.", nameof(checkpoints));
            }
        }

        var sb = new StringBuilder();
        StateFamily(sb, list);
        Family(sb, list, Completed, "Items completed in the checkpoint, over every run it has seen.", m => m.Completed);
        Family(sb, list, Failed, "Items failed in the checkpoint (skipped by later runs until retried).", m => m.Failed);
        Family(sb, list, InFlight, "Items started and not finished: running now, or left by a run that stopped (they run again).", m => m.InFlight);
        Family(sb, list, Total, "Items in the current or last run's input, given or estimated; absent when unknown.", m => m.Total);
        Family(sb, list, Rate, "Items processed per second by the live run, smoothed; absent when no run is live.", m => m.Rate);
        Family(sb, list, Eta, "Estimated seconds until the live run finishes; absent when unknown.", m => m.Eta?.TotalSeconds);
        Family(sb, list, LastUpdate, "When the checkpoint last recorded anything, in seconds since the Unix epoch.", m => m.UpdatedAt is DateTimeOffset t ? UnixSeconds(t) : null);
        return sb.ToString();
    }

    /// <summary>The state as a Prometheus "state set": one series per state, 1 for the checkpoint's, 0 for the others.</summary>
    private static void StateFamily(StringBuilder sb, List<CheckpointMetrics> list)
    {
        if (list.Count == 0)
        {
            return;
        }

        Header(sb, State, "1 for the state the checkpoint is in (running, interrupted, completed, failed, ...), 0 for the others.");
        foreach (var checkpoint in list)
        {
            foreach (var state in s_states)
            {
                sb.Append(State).Append("{checkpoint=\"").Append(EscapeLabelValue(checkpoint.Name))
                  .Append("\",state=\"").Append(StateName(state)).Append("\"} ")
                  .Append(checkpoint.State == state ? '1' : '0').Append('\n');
            }
        }
    }

    private static void Family(StringBuilder sb, List<CheckpointMetrics> list, string name, string help, Func<CheckpointMetrics, double?> value)
    {
        var headed = false;
        foreach (var checkpoint in list)
        {
            if (value(checkpoint) is not double v)
            {
                continue;
            }

            if (!headed)
            {
                Header(sb, name, help);
                headed = true;
            }

            sb.Append(name).Append("{checkpoint=\"").Append(EscapeLabelValue(checkpoint.Name)).Append("\"} ")
              .Append(FormatValue(v)).Append('\n');
        }
    }

    private static void Header(StringBuilder sb, string name, string help)
        => sb.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
             .Append("# TYPE ").Append(name).Append(" gauge\n");

    /// <summary>A label value as the format requires: backslash, double quote and line feed escaped; any other character as it is (UTF-8).</summary>
    public static string EscapeLabelValue(string value)
    {
        if (value is null)
        {
            throw new ArgumentNullException(nameof(value));
        }

        var sb = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    sb.Append("\\\\");
                    break;
                case '"':
                    sb.Append("\\\"");
                    break;
                case '\n':
                    sb.Append("\\n");
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>A sample value as Go's ParseFloat reads it: invariant culture, shortest round-trip form, NaN and ±Inf by their names.</summary>
    public static string FormatValue(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "+Inf" : "-Inf";
        }

        return value.ToString("R", CultureInfo.InvariantCulture);
    }

    private static string StateName(CheckpointState state) => state.ToString().ToLowerInvariant();

    private static double UnixSeconds(DateTimeOffset time)
        => (time.UtcTicks - DateTimeOffset.FromUnixTimeSeconds(0).UtcTicks) / (double)TimeSpan.TicksPerSecond;
}
