using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// A file that is not a healthy checkpoint gives a clear error of a documented type naming the file, through every
/// entry point, and its bytes are never changed.
/// </summary>
public sealed class BadFileTests
{
    private const string GoodHeader =
        "{\"format\":\"incrementalps-checkpoint\",\"version\":1,\"created\":\"2026-11-22T10:00:00.0000000Z\",\"writer\":\"tests\",\"name\":\"bad\",\"settings\":{}}\n";

    public static TheoryData<string, byte[], Type> NotCheckpoints() => new()
    {
        { "empty", [], typeof(CheckpointFormatException) },
        { "garbage text", Encoding.UTF8.GetBytes("this is not json at all\nsecond line\n"), typeof(CheckpointFormatException) },
        { "package.json", Encoding.UTF8.GetBytes("{\n  \"name\": \"left-pad\",\n  \"version\": \"1.3.0\"\n}\n"), typeof(CheckpointFormatException) },
        { "another tool's JSON Lines", Encoding.UTF8.GetBytes("{\"a\":1}\n{\"a\":2}\n"), typeof(CheckpointFormatException) },
        { "a JSON array", Encoding.UTF8.GetBytes("[1,2,3]\n"), typeof(CheckpointFormatException) },
        { "a header of another format", Encoding.UTF8.GetBytes("{\"format\":\"something-else\",\"version\":1}\n"), typeof(CheckpointFormatException) },
        { "UTF-16 text", Encoding.Unicode.GetBytes(GoodHeader), typeof(CheckpointFormatException) },
    };

    [Theory]
    [MemberData(nameof(NotCheckpoints))]
    public void A_file_that_is_not_a_checkpoint_is_refused_everywhere_and_left_unchanged(string what, byte[] content, Type expected)
    {
        using var store = new TempStore();
        var location = store.FileWith("bad.checkpoint.jsonl", content);

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e => Assert.IsType(expected, e));
        Assert.NotEmpty(what);
    }

    [Fact]
    public void A_truncated_header_alone_is_refused_and_left_unchanged()
    {
        using var store = new TempStore();
        var location = store.FileWith("truncated.checkpoint.jsonl", Encoding.UTF8.GetBytes(GoodHeader[..40]));

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e => Assert.True(e is CheckpointFormatException or CheckpointCorruptException, e.GetType().Name));
    }

    [Fact]
    public void A_truncated_header_followed_by_records_is_refused_and_left_unchanged()
    {
        using var store = new TempStore();
        var intact = MakeGoodJournal(store);
        var firstNewline = Array.IndexOf(intact, (byte)'\n');
        var damaged = intact[..(firstNewline / 2)].Concat(intact[firstNewline..]).ToArray();
        var location = store.FileWith("truncated-header.checkpoint.jsonl", damaged);

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e => Assert.True(e is CheckpointFormatException or CheckpointCorruptException, e.GetType().Name));
    }

    [Fact]
    public void A_newer_format_version_is_refused_naming_both_versions()
    {
        using var store = new TempStore();
        // Every format from version 2 on seals its header with a CRC-32C, so a newer one does too.
        var newerHeader = LineChecksum.Sealed(Encoding.UTF8.GetBytes(GoodHeader.Replace("\"version\":1", "\"version\":99", StringComparison.Ordinal).TrimEnd('\n')[..^1]));
        var rest = "\n{\"type\":\"run-started\",\"time\":\"2026-11-22T10:00:00Z\",\"run\":1,\"pid\":1,\"host\":\"h\",\"writer\":\"w\",\"settings\":{},\"new-thing\":[1]}\n";
        var location = store.FileWith("newer.checkpoint.jsonl", [.. newerHeader, .. Encoding.UTF8.GetBytes(rest)]);

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e =>
        {
            var version = Assert.IsType<CheckpointVersionException>(e);
            Assert.Equal(99, version.FileVersion);
            Assert.Equal(JournalFormat.NewestReadableVersion, version.SupportedVersion);
            Assert.Contains("99", version.Message, StringComparison.Ordinal);
            Assert.Contains(JournalFormat.NewestReadableVersion.ToString(CultureInfo.InvariantCulture), version.Message.Replace("99", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData("garbage in the middle")]
    [InlineData("{\"type\":\"item-completed\"")]
    [InlineData("{\"type\":\"no-such-record\",\"time\":\"2026-11-22T10:00:00Z\"}")]
    [InlineData("")]
    [InlineData("\0\0\0\0")]
    public void Damage_before_the_last_record_is_an_error_naming_the_line(string badLine)
    {
        using var store = new TempStore();
        var lines = Encoding.UTF8.GetString(MakeGoodJournal(store)).TrimEnd('\n').Split('\n').ToList();
        Assert.True(lines.Count >= 5);
        const int badIndex = 3;
        lines.Insert(badIndex, badLine);
        var location = store.FileWith("middle.checkpoint.jsonl", Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e =>
        {
            var corrupt = Assert.IsType<CheckpointCorruptException>(e);
            Assert.Equal(badIndex + 1, corrupt.LineNumber);
            Assert.Contains($"line {badIndex + 1}", corrupt.Message, StringComparison.Ordinal);
            Assert.False(string.IsNullOrEmpty(corrupt.Reason));
        });
    }

    [Fact]
    public void Random_bytes_are_refused_as_not_a_checkpoint_or_as_damaged_and_never_changed()
    {
        using var store = new TempStore();
        var n = 0;

        Prop.ForAll<byte[]>(bytes =>
        {
            var location = store.FileWith($"random-{n++}.checkpoint.jsonl", bytes);

            var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

            Assert.All(errors, e => Assert.True(
                e is CheckpointFormatException or CheckpointCorruptException,
                $"{e.GetType().Name} for bytes {Convert.ToHexString(bytes)}: {e.Message}"));
            File.Delete(location.FilePath);
        }).Check(Properties.Config(100));
    }

    [Fact]
    public void A_corrupt_checkpoint_can_be_removed_which_is_the_way_out()
    {
        using var store = new TempStore();
        var location = store.FileWith("corrupt.checkpoint.jsonl", Encoding.UTF8.GetBytes(GoodHeader + "garbage\n{\"a\":1}\n"));
        Assert.Throws<CheckpointCorruptException>(() => CheckpointSession.Start(location, Sessions.Options()).Dispose());

        CheckpointReset.Remove(location);

        Assert.False(File.Exists(location.FilePath));
        using var session = CheckpointSession.Start(location, Sessions.Options());
        Assert.False(session.Resume.IsResume);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("a").Kind);
    }

    [Fact]
    public void A_missing_checkpoint_is_reported_as_not_found_by_readers_and_resets()
    {
        using var store = new TempStore();
        var location = store.Named("missing");

        Assert.Equal(location.FilePath, Assert.Throws<CheckpointNotFoundException>(() => CheckpointInspector.ReadStatus(location)).FilePath);
        Assert.Throws<CheckpointNotFoundException>(() => CheckpointInspector.ReadItems(location));
        Assert.Throws<CheckpointNotFoundException>(() => CheckpointReset.Remove(location));
        Assert.False(File.Exists(location.FilePath));
    }

    private static byte[] MakeGoodJournal(TempStore store)
    {
        var location = store.Named("good");
        Sessions.MakeKept(location, ["a", "b", "c"], failed: ["d"]);
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("e");
            session.Complete("f");
        }

        return File.ReadAllBytes(location.FilePath);
    }

    [Fact]
    public void A_flipped_bit_in_the_header_s_version_is_damage_not_a_newer_version()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);
        var bytes = File.ReadAllBytes(location.FilePath);
        var at = Encoding.ASCII.GetString(bytes).IndexOf("\"version\":2", StringComparison.Ordinal) + 10;
        bytes[at] ^= 0x04; // '2' becomes '6'
        File.WriteAllBytes(location.FilePath, bytes);

        var error = Assert.IsType<CheckpointCorruptException>(Record.Exception(() => CheckpointInspector.ReadStatus(location)));
        Assert.Equal(1, error.LineNumber);
        Assert.Equal(bytes, File.ReadAllBytes(location.FilePath));
    }
}
