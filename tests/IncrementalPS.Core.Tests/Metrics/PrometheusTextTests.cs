using System;
using System.Globalization;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Metrics;

/// <summary>
/// The metrics text must be what Prometheus accepts: every case is checked by promtool itself, not only by what these
/// tests expect to see.
/// </summary>
public sealed class PrometheusTextTests
{
    private static readonly DateTimeOffset s_updated = new(2026, 11, 29, 12, 0, 0, 250, TimeSpan.Zero);

    private static CheckpointMetrics Live(string name = "nightly") => new(
        name, CheckpointState.Running, completed: 40, failed: 2, inFlight: 3, total: 100, rate: 1.5,
        eta: TimeSpan.FromSeconds(38.5), updatedAt: s_updated);

    private static CheckpointMetrics Stopped(string name = "ledger") => new(
        name, CheckpointState.Interrupted, completed: 7, failed: 0, inFlight: 1, total: null, rate: null, eta: null, updatedAt: null);

    [Fact]
    public void Promtool_accepts_checkpoints_live_and_stopped_with_names_that_need_escaping()
    {
        var text = PrometheusText.Format(new[]
        {
            Live(),
            Stopped(),
            Live("C:\\jobs\\\"quoted\"\nnext line"),
            Stopped("photos-é-日本"),
        });

        Assert.Equal(string.Empty, Promtool.Check(text));
    }

    [Fact]
    public void Promtool_accepts_no_checkpoints_at_all()
    {
        var text = PrometheusText.Format(Array.Empty<CheckpointMetrics>());

        Assert.Equal(string.Empty, text);
        Assert.Equal(string.Empty, Promtool.Check(text));
    }

    [Fact]
    public void A_label_value_escapes_backslash_double_quote_and_line_feed()
    {
        Assert.Equal("a\\\\b\\\"c\\nd", PrometheusText.EscapeLabelValue("a\\b\"c\nd"));

        var text = PrometheusText.Format(new[] { Live("a\\b\"c\nd") });

        Assert.Contains("incrementalps_items_completed{checkpoint=\"a\\\\b\\\"c\\nd\"} 40\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Each_metric_is_one_family_with_a_sample_per_checkpoint()
    {
        var text = PrometheusText.Format(new[] { Live("a"), Live("b") });
        var lines = text.Split('\n');

        foreach (var name in new[] { PrometheusText.Completed, PrometheusText.Failed, PrometheusText.InFlight, PrometheusText.Total, PrometheusText.Rate, PrometheusText.Eta, PrometheusText.LastUpdate })
        {
            var type = Array.IndexOf(lines, $"# TYPE {name} gauge");
            Assert.True(type > 0, name);
            Assert.Equal(1, lines.Count(l => l.StartsWith("# TYPE " + name + " ", StringComparison.Ordinal)));
            Assert.Equal($"# HELP {name}", string.Join(" ", lines[type - 1].Split(' ').Take(3)));
            Assert.StartsWith(name + "{checkpoint=\"a\"} ", lines[type + 1], StringComparison.Ordinal);
            Assert.StartsWith(name + "{checkpoint=\"b\"} ", lines[type + 2], StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_value_that_is_unknown_has_no_sample_rather_than_a_zero()
    {
        var text = PrometheusText.Format(new[] { Live("live"), Stopped("stopped") });

        Assert.Contains("incrementalps_input_items{checkpoint=\"live\"} 100\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("{checkpoint=\"stopped\"} ", Lines(text, PrometheusText.Total), StringComparison.Ordinal);
        Assert.DoesNotContain("{checkpoint=\"stopped\"} ", Lines(text, PrometheusText.Rate), StringComparison.Ordinal);
        Assert.DoesNotContain("{checkpoint=\"stopped\"} ", Lines(text, PrometheusText.Eta), StringComparison.Ordinal);
        Assert.DoesNotContain("{checkpoint=\"stopped\"} ", Lines(text, PrometheusText.LastUpdate), StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_in_flight{checkpoint=\"stopped\"} 1\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_family_without_a_sample_is_left_out()
    {
        var text = PrometheusText.Format(new[] { Stopped() });

        Assert.DoesNotContain(PrometheusText.Total, text, StringComparison.Ordinal);
        Assert.DoesNotContain(PrometheusText.Eta, text, StringComparison.Ordinal);
        Assert.Contains("# TYPE incrementalps_items_completed gauge\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_state_is_a_state_set_with_one_series_set_per_checkpoint()
    {
        var text = PrometheusText.Format(new[] { Live("a"), Stopped("b") });
        var states = Lines(text, PrometheusText.State);

        foreach (var state in Enum.GetValues<CheckpointState>())
        {
            var label = state.ToString().ToLowerInvariant();
            Assert.Contains($"{PrometheusText.State}{{checkpoint=\"a\",state=\"{label}\"}} {(state == CheckpointState.Running ? 1 : 0)}", states, StringComparison.Ordinal);
            Assert.Contains($"{PrometheusText.State}{{checkpoint=\"b\",state=\"{label}\"}} {(state == CheckpointState.Interrupted ? 1 : 0)}", states, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Values_are_written_in_the_invariant_culture_whatever_the_current_one()
    {
        var saved = Thread.CurrentThread.CurrentCulture;
        try
        {
            Thread.CurrentThread.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var text = PrometheusText.Format(new[] { Live() });

            Assert.Contains("incrementalps_items_per_second{checkpoint=\"nightly\"} 1.5\n", text, StringComparison.Ordinal);
            Assert.Contains("incrementalps_eta_seconds{checkpoint=\"nightly\"} 38.5\n", text, StringComparison.Ordinal);
        }
        finally
        {
            Thread.CurrentThread.CurrentCulture = saved;
        }
    }

    [Fact]
    public void The_last_update_is_in_seconds_since_the_unix_epoch_and_no_sample_has_a_timestamp()
    {
        var text = PrometheusText.Format(new[] { Live() });

        var expected = (s_updated.ToUnixTimeMilliseconds() / 1000.0).ToString("R", CultureInfo.InvariantCulture);
        Assert.Contains($"incrementalps_last_update_timestamp_seconds{{checkpoint=\"nightly\"}} {expected}\n", text, StringComparison.Ordinal);
        foreach (var sample in text.Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
        {
            // name{labels} value — a third field would be a timestamp, which the textfile collector refuses.
            Assert.Single(sample.Substring(sample.LastIndexOf('}') + 2).Split(' '));
        }
    }

    [Fact]
    public void Two_checkpoints_with_one_name_are_refused_rather_than_written_as_one_series_twice()
    {
        var ex = Assert.Throws<ArgumentException>(() => PrometheusText.Format(new[] { Live("a"), Stopped("a") }));

        Assert.Contains("'a'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_status_of_a_real_checkpoint_formats_to_its_counts()
    {
        using var store = new TempStore();
        var location = store.Named("real");
        Sessions.MakeKept(location, new[] { "a", "b" }, new[] { "c" });

        var text = PrometheusText.Format(new[] { CheckpointMetrics.FromStatus(CheckpointInspector.ReadStatus(location)) });

        Assert.Equal(string.Empty, Promtool.Check(text));
        Assert.Contains("incrementalps_items_completed{checkpoint=\"real\"} 2\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_items_failed{checkpoint=\"real\"} 1\n", text, StringComparison.Ordinal);
        Assert.Contains("incrementalps_checkpoint_state{checkpoint=\"real\",state=\"failed\"} 1\n", text, StringComparison.Ordinal);
    }

    /// <summary>The sample lines of one metric.</summary>
    private static string Lines(string text, string metric)
        => string.Join("\n", text.Split('\n').Where(l => l.StartsWith(metric + "{", StringComparison.Ordinal)));
}
