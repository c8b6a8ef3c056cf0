using System;
using System.IO;
using System.Linq;
using System.Text;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// Version 2 seals every line with a CRC-32C of its bytes; version 1 files are still read, and become version 2 when
/// they are rewritten.
/// </summary>
public sealed class FormatVersionTests
{
    [Fact]
    public void Every_line_ends_with_the_checksum_of_the_bytes_before_it()
    {
        using var store = new TempStore();
        var location = MakeMixed(store, "sealed");

        var lines = Lines(File.ReadAllBytes(location.FilePath));

        Assert.True(lines.Length > 5);
        foreach (var line in lines)
        {
            var at = line.Length - 18;
            var suffix = Encoding.ASCII.GetString(line, at, 18);
            Assert.StartsWith(",\"crc\":\"", suffix, StringComparison.Ordinal);
            Assert.EndsWith("\"}", suffix, StringComparison.Ordinal);
            // Computed by the table, independently of the path the writer took.
            var expected = Crc32C.ComputeWithTable(line.AsSpan(0, at)).ToString("x8", System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(expected, suffix.Substring(8, 8));
        }
    }

    [Fact]
    public void A_flipped_bit_that_turns_one_key_into_another_is_refused_naming_the_line()
    {
        using var store = new TempStore();
        var location = store.Named("flip");
        Sessions.MakeKept(location, Sessions.Keys("k", 60));
        var bytes = File.ReadAllBytes(location.FilePath);
        var text = Encoding.ASCII.GetString(bytes);
        // "k045" becomes "k047": still valid JSON, a key that never ran.
        var at = text.IndexOf("\"k045\"", StringComparison.Ordinal) + 4;
        bytes[at] ^= 0x02;
        Assert.Equal("\"k047\"", Encoding.ASCII.GetString(bytes, at - 4, 6));
        var line = text.Take(at).Count(c => c == '\n') + 1;
        File.WriteAllBytes(location.FilePath, bytes);

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e =>
        {
            var corrupt = Assert.IsType<CheckpointCorruptException>(e);
            Assert.Equal(line, corrupt.LineNumber);
            Assert.Contains("checksum", corrupt.Reason, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void A_damaged_header_is_refused_as_corrupt_whatever_the_damage()
    {
        using var store = new TempStore();
        var good = File.ReadAllBytes(MakeMixed(store, "source").FilePath);
        var headerEnd = Array.IndexOf(good, (byte)'\n');
        var header = Encoding.ASCII.GetString(good, 0, headerEnd);
        var cases = new (string What, int At, byte Value)[]
        {
            ("the version relabelled 1 (a version without checksums)", header.IndexOf("\"version\":2", StringComparison.Ordinal) + 10, (byte)'1'),
            ("invalid UTF-8 in the writer", header.IndexOf("\"writer\":\"", StringComparison.Ordinal) + 10, 0xFF),
            ("a changed name", header.IndexOf("\"name\":\"", StringComparison.Ordinal) + 8, (byte)'X'),
        };

        foreach (var (what, at, value) in cases)
        {
            var bytes = (byte[])good.Clone();
            bytes[at] = value;
            var location = store.FileWith($"header-{at}.checkpoint.jsonl", bytes);

            var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

            Assert.All(errors, e => Assert.Equal(1, Assert.IsType<CheckpointCorruptException>(e).LineNumber));
            Assert.NotNull(what);
        }
    }

    [Fact]
    public void A_version_1_header_with_invalid_UTF8_is_refused_as_corrupt_not_a_crash()
    {
        using var store = new TempStore();
        var v1 = ToVersion1(File.ReadAllBytes(MakeMixed(store, "source").FilePath));
        var at = Encoding.ASCII.GetString(v1).IndexOf("\"writer\":\"", StringComparison.Ordinal) + 10;
        v1[at] = 0xFF;
        var location = store.FileWith("v1-utf8.checkpoint.jsonl", v1);

        var errors = BadFile.AssertRefusedEverywhereAndUnchanged(location);

        Assert.All(errors, e => Assert.Contains("UTF-8", Assert.IsType<CheckpointCorruptException>(e).Reason, StringComparison.Ordinal));
    }

    [Fact]
    public void A_version_1_file_is_read_as_it_is_and_upgraded_to_version_2_by_the_next_run()
    {
        using var store = new TempStore();
        var source = MakeMixed(store, "source");
        var expected = States(source);
        var location = store.FileWith("old.checkpoint.jsonl", ToVersion1(File.ReadAllBytes(source.FilePath)));
        var v1Hash = CheckpointFile.Sha256(location.FilePath);

        Assert.Equal(1, CheckpointInspector.ReadStatus(location).FormatVersion);
        Assert.Equal(expected, States(location));
        Assert.Equal(v1Hash, CheckpointFile.Sha256(location.FilePath));

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete("done-1").Kind);
            Assert.Equal(ItemOutcomeKind.Completed, session.Complete("new").Kind);
        }

        Assert.Equal(2, CheckpointInspector.ReadStatus(location).FormatVersion);
        var after = States(location);
        Assert.Equal(expected.Where(s => !s.StartsWith("new=", StringComparison.Ordinal)).Concat(["new=Completed"]).OrderBy(s => s, StringComparer.Ordinal), after.OrderBy(s => s, StringComparer.Ordinal));
        AssertEveryLineSealed(location.FilePath);
    }

    [Fact]
    public void Resetting_a_version_1_file_writes_version_2()
    {
        using var store = new TempStore();
        var source = MakeMixed(store, "source");
        var location = store.FileWith("old.checkpoint.jsonl", ToVersion1(File.ReadAllBytes(source.FilePath)));

        Assert.Equal(1, CheckpointReset.ResetFailed(location));

        Assert.Equal(2, CheckpointInspector.ReadStatus(location).FormatVersion);
        Assert.DoesNotContain(States(location), s => s.EndsWith("=Failed", StringComparison.Ordinal));
        AssertEveryLineSealed(location.FilePath);
    }

    /// <summary>A kept checkpoint with completed, failed and interrupted items, its saved output and two runs.</summary>
    internal static CheckpointLocation MakeMixed(TempStore store, string name)
    {
        var location = store.Named(name);
        Sessions.MakeKept(location, ["done-1", "done-2"], failed: ["failed-1"]);
        using var cancel = new System.Threading.CancellationTokenSource();
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("done-3", output: "saved ☃ output");
            Assert.ThrowsAny<OperationCanceledException>(() => session.Process("stopped", _ =>
            {
                cancel.Cancel();
                cancel.Token.ThrowIfCancellationRequested();
                return null;
            }, cancel.Token));
        }

        return location;
    }

    internal static string[] States(CheckpointLocation location)
        => CheckpointInspector.ReadItems(location).Select(i => $"{i.Key}={i.State}").OrderBy(s => s, StringComparer.Ordinal).ToArray();

    /// <summary>The same file as version 1 wrote it: the header says 1, and no line has a checksum.</summary>
    internal static byte[] ToVersion1(byte[] v2)
    {
        var output = new MemoryStream();
        var first = true;
        foreach (var line in Lines(v2))
        {
            var text = Encoding.UTF8.GetBytes(first
                ? Encoding.UTF8.GetString(line).Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal)
                : Encoding.UTF8.GetString(line));
            output.Write(text, 0, text.Length - 18);
            output.WriteByte((byte)'}');
            output.WriteByte((byte)'\n');
            first = false;
        }

        return output.ToArray();
    }

    private static void AssertEveryLineSealed(string path)
    {
        foreach (var line in Lines(File.ReadAllBytes(path)))
        {
            Assert.Null(LineChecksum.Verify(line, out _));
        }
    }

    private static byte[][] Lines(byte[] bytes)
    {
        Assert.Equal((byte)'\n', bytes[^1]);
        var lines = new System.Collections.Generic.List<byte[]>();
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 1;
            }
        }

        return [.. lines];
    }
}
