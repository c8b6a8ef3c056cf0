using System;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>The file is JSON Lines as docs/checkpoint-format.md documents it, readable by any JSON parser.</summary>
public sealed class JournalFormatTests
{
    private static readonly string[] s_recordTypes =
        ["run-started", "item-started", "item-completed", "item-failed", "item-interrupted", "run-ended"];

    [Fact]
    public void Every_line_is_a_JSON_object_and_the_header_comes_first()
    {
        using var store = new TempStore();
        var location = store.Named("nightly");

        using (var session = CheckpointSession.Start(location, Sessions.Options()))
        {
            session.Complete("a");
            session.Fail("b");

            var lines = CheckpointFile.ReadJsonLines(location.FilePath);

            var header = lines[0];
            Assert.Equal("incrementalps-checkpoint", header.GetProperty("format").GetString());
            Assert.Equal(2, header.GetProperty("version").GetInt32());
            AssertTime(header.GetProperty("created"));
            Assert.Equal("IncrementalPS.Core.Tests", header.GetProperty("writer").GetString());
            Assert.Equal("nightly", header.GetProperty("name").GetString());
            Assert.Equal(JsonValueKind.Object, header.GetProperty("settings").ValueKind);
            Assert.All(header.GetProperty("settings").EnumerateObject(), p => Assert.Equal(JsonValueKind.String, p.Value.ValueKind));
        }
    }

    [Fact]
    public void Every_record_has_the_documented_fields()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var cancel = new System.Threading.CancellationTokenSource();

        using (var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.TotalCount = 4;
            o.Fingerprint = ItemKey.Fingerprint("work");
            o.Keep = true;
        })))
        {
            session.Complete("done", output: "{\"size\":3}");
            session.Fail("broken", "disk full");
            Assert.ThrowsAny<OperationCanceledException>(() => session.Process("stopped", _ =>
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
                return null;
            }, cancel.Token));

            AssertDocumentedFields(CheckpointFile.Records(location.FilePath));
        }

        // After the run: the compacted file keeps the same shapes.
        var records = CheckpointFile.Records(location.FilePath);
        AssertDocumentedFields(records);
        Assert.Contains(records, r => Type(r) == "run-ended");
    }

    [Fact]
    public void The_first_run_records_who_ran_it_and_how()
    {
        using var store = new TempStore();
        var location = store.Named();

        using (var session = CheckpointSession.Start(location, Sessions.Options(o =>
        {
            o.TotalCount = 7;
            o.Fingerprint = ItemKey.Fingerprint("Import-Thing $_");
            o.Settings["jobs"] = "4";
        })))
        {
            var started = Assert.Single(CheckpointFile.Records(location.FilePath, "run-started"));
            Assert.Equal(1, started.GetProperty("run").GetInt32());
            Assert.Equal(Environment.ProcessId, started.GetProperty("pid").GetInt32());
            Assert.Equal(Environment.MachineName, started.GetProperty("host").GetString());
            Assert.Equal(ItemKey.Fingerprint("Import-Thing $_"), started.GetProperty("fingerprint").GetString());
            Assert.Equal(7, started.GetProperty("total").GetInt64());
            Assert.Equal("4", started.GetProperty("settings").GetProperty("jobs").GetString());
        }
    }

    [Fact]
    public void Recording_a_completed_item_appends_one_completion_record_with_its_attempt_and_duration()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options());

        session.Complete("a", output: "saved");

        // In flight is marked in the .inflight file, not the journal: an item costs one record.
        var records = CheckpointFile.Records(location.FilePath).Where(r => r.TryGetProperty("key", out _)).ToList();
        var completed = Assert.Single(records);
        Assert.Equal("item-completed", Type(completed));
        Assert.Equal("a", completed.GetProperty("key").GetString());
        Assert.Equal(1, completed.GetProperty("attempt").GetInt32());
        Assert.True(completed.GetProperty("ms").GetDouble() >= 0);
        Assert.Equal("saved", completed.GetProperty("output").GetString());
    }

    [Fact]
    public void A_key_too_long_for_an_in_flight_slot_is_recorded_started_in_the_journal()
    {
        using var store = new TempStore();
        var location = store.Named();
        var longKey = new string('\u00e9', 600); // 1200 bytes of UTF-8, over the documented 1008
        using var session = CheckpointSession.Start(location, Sessions.Options());

        session.Process(longKey, _ =>
        {
            Assert.Equal(ItemState.InFlight, CheckpointInspector.ReadItems(location).Single().State);
            return null;
        });

        var records = CheckpointFile.Records(location.FilePath).Where(r => r.TryGetProperty("key", out _)).ToList();
        Assert.Equal(["item-started", "item-completed"], records.Select(Type));
        Assert.All(records, r => Assert.Equal(longKey, r.GetProperty("key").GetString()));
        Assert.Equal(1, records[0].GetProperty("run").GetInt32());
        Assert.Equal(1, records[0].GetProperty("attempt").GetInt32());
    }

    [Fact]
    public void Keys_and_outputs_with_newlines_quotes_and_unicode_stay_on_one_line_each()
    {
        using var store = new TempStore();
        var location = store.Named();
        const string key = "line1\nline2\r\t\"quoted\" \\ caf\u00e9 \U0001F600 \u2028";
        const string output = "{\n  \"multi\": \"line\"\n}\u0000end";

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            session.Complete(key, output);
            session.Finish();
        }

        var completed = Assert.Single(CheckpointFile.Records(location.FilePath, "item-completed"));
        Assert.Equal(key, completed.GetProperty("key").GetString());
        Assert.Equal(output, completed.GetProperty("output").GetString());

        using var again = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, again.Complete(key).Kind);
        Assert.Equal(output, again.ReadSavedOutput(key));
    }

    private static void AssertDocumentedFields(System.Collections.Generic.IReadOnlyList<JsonElement> records)
    {
        Assert.NotEmpty(records);
        foreach (var record in records)
        {
            var type = Type(record);
            Assert.Contains(type, s_recordTypes);
            AssertTime(record.GetProperty("time"));
            switch (type)
            {
                case "run-started":
                    Assert.True(record.GetProperty("run").GetInt32() >= 1);
                    Assert.True(record.GetProperty("pid").GetInt32() > 0);
                    Assert.False(string.IsNullOrEmpty(record.GetProperty("host").GetString()));
                    Assert.False(string.IsNullOrEmpty(record.GetProperty("writer").GetString()));
                    Assert.Equal(JsonValueKind.Object, record.GetProperty("settings").ValueKind);
                    break;
                case "item-started":
                    AssertKey(record);
                    Assert.True(record.GetProperty("run").GetInt32() >= 1);
                    Assert.True(record.GetProperty("attempt").GetInt32() >= 1);
                    break;
                case "item-completed":
                    AssertKey(record);
                    Assert.True(record.GetProperty("attempt").GetInt32() >= 1);
                    Assert.True(record.GetProperty("ms").GetDouble() >= 0);
                    break;
                case "item-failed":
                    AssertKey(record);
                    Assert.True(record.GetProperty("attempt").GetInt32() >= 1);
                    Assert.True(record.GetProperty("ms").GetDouble() >= 0);
                    Assert.False(string.IsNullOrEmpty(record.GetProperty("error").GetProperty("message").GetString()));
                    break;
                case "item-interrupted":
                    AssertKey(record);
                    Assert.True(record.GetProperty("attempt").GetInt32() >= 0);
                    Assert.True(record.GetProperty("deaths").GetInt32() >= 0);
                    break;
                case "run-ended":
                    Assert.True(record.GetProperty("run").GetInt32() >= 1);
                    Assert.Contains(record.GetProperty("outcome").GetString(), new[] { "completed", "failed", "incomplete", "interrupted" });
                    foreach (var count in new[] { "seen", "completed", "failed", "skipped" })
                    {
                        Assert.True(record.GetProperty(count).GetInt64() >= 0, count);
                    }

                    break;
            }
        }
    }

    private static string? Type(JsonElement record) => record.GetProperty("type").GetString();

    private static void AssertKey(JsonElement record) => Assert.Equal(JsonValueKind.String, record.GetProperty("key").ValueKind);

    private static void AssertTime(JsonElement time)
    {
        var text = time.GetString();
        Assert.True(
            DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed),
            $"'{text}' is not an ISO 8601 time");
        Assert.Equal(TimeSpan.Zero, parsed.Offset);
    }
}
