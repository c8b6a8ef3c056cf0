using System;
using System.Linq;
using System.Text;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>Recording an item costs one append: the file only grows and its earlier bytes never change.</summary>
public sealed class AppendOnlyTests
{
    [Theory]
    [InlineData(Durability.Normal)]
    [InlineData(Durability.Full)]
    public void Recording_an_item_appends_to_the_file_and_never_rewrites_earlier_bytes(Durability durability)
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Durability = durability));
        var before = CheckpointFile.ReadWritten(location.FilePath);

        for (var i = 0; i < 60; i++)
        {
            var key = $"key-{i}";
            var outcome = i % 7 == 3 ? session.Fail(key) : session.Complete(key);
            Assert.NotEqual(ItemOutcomeKind.SkippedCompleted, outcome.Kind);

            var after = CheckpointFile.ReadWritten(location.FilePath);
            Assert.True(after.Length > before.Length, $"item {key} did not grow the file");
            Assert.True(after.AsSpan(0, before.Length).SequenceEqual(before), $"item {key} changed earlier bytes of the file");

            // What was appended is whole lines about this item only.
            var appended = Encoding.UTF8.GetString(after, before.Length, after.Length - before.Length);
            Assert.EndsWith("\n", appended, StringComparison.Ordinal);
            foreach (var line in appended.TrimEnd('\n').Split('\n'))
            {
                using var record = System.Text.Json.JsonDocument.Parse(line);
                Assert.Equal(key, record.RootElement.GetProperty("key").GetString());
            }

            before = after;
        }
    }

    [Fact]
    public void Skipping_a_completed_item_writes_nothing()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a", "b"]);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        var before = CheckpointFile.ReadBytes(location.FilePath);

        Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete("a").Kind);
        Assert.True(session.Complete("a").WasSkipped);

        Assert.Equal(before, CheckpointFile.ReadBytes(location.FilePath));
    }

    [Fact]
    public void Both_durability_levels_write_the_same_records()
    {
        using var store = new TempStore();
        var keys = Sessions.Keys("k", 20);

        string Shape(Durability durability)
        {
            var location = store.Named(durability.ToString());
            using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Durability = durability));
            foreach (var key in keys)
            {
                _ = key.EndsWith('3') ? session.Fail(key) : session.Complete(key, output: key.ToUpperInvariant());
            }

            // Compare what is recorded, not when: drop the time and duration of each record, and the checksum over them.
            return string.Join('\n', CheckpointFile.Records(location.FilePath)
                .Where(r => r.TryGetProperty("key", out _))
                .Select(r => string.Join(
                    ' ',
                    r.EnumerateObject().Where(p => p.Name is not ("time" or "ms" or "crc")).Select(p => $"{p.Name}={p.Value.GetRawText()}"))));
        }

        var normal = Shape(Durability.Normal);
        var full = Shape(Durability.Full);

        Assert.Equal(normal, full);
        Assert.Contains("item-failed", full, StringComparison.Ordinal);
        Assert.Contains("\"K001\"", full, StringComparison.Ordinal);
    }
}
