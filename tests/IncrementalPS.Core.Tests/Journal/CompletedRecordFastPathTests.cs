using System;
using System.Text;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// The load's fast path for item-completed lines must never accept a line the full JSON parser (as a load runs it)
/// would read differently or refuse: it may only decline, and hand the line over. In version 2 both paths sit behind
/// the line's checksum, which must refuse any line changed after it was sealed.
/// </summary>
public sealed class CompletedRecordFastPathTests
{
    private static readonly string[] s_keys = ["a", "item-0000001", "C:\\data\\in\\a.csv", "naïve ☃ 𝄞", "with \"quotes\"", "tab\there", "/tmp/x y/z"];
    private static readonly string?[] s_outputs = [null, "", "plain", "<Objs Version=\"1.1.0.1\">\r\n  <S>x</S>\r\n</Objs>", "\u0001\u001f"];
    private static readonly byte[] s_alphabet = Encoding.ASCII.GetBytes("{}[]\":,\\ 0123456789.-eEtfnu\u00ff");
    private static readonly DateTime s_time = new(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Reads_what_the_record_writer_writes_exactly_as_the_full_parser_does()
    {
        using var writer = new RecordWriter();
        var fastAccepted = 0;
        foreach (var key in s_keys)
        {
            foreach (var output in s_outputs)
            {
                foreach (var ms in new[] { 0.0, 0.171, 12.5, 123456.789, 1e-5 })
                {
                    var line = Line(writer.ItemCompleted(key, s_time, 7, ms, output));
                    var full = Full(JournalReaderV2.Instance, line);
                    Assert.NotNull(full);
                    Assert.Null(LineChecksum.Verify(line, out var body));
                    var fast = new JournalRecord();
                    if (CompletedRecordFastPath.TryParseBody(body, fast))
                    {
                        fastAccepted++;
                        AssertSame(full!, fast);
                    }

                    // The same record as version 1 wrote it: no checksum, the object closed by its brace.
                    var v1 = V1(body);
                    Assert.NotNull(Full(JournalReaderV1.Instance, v1));
                    var fastV1 = new JournalRecord();
                    Assert.Equal(CompletedRecordFastPath.TryParseBody(body, new JournalRecord()), CompletedRecordFastPath.TryParse(v1, fastV1));
                }
            }
        }

        // Keys written without escapes ("a", "item-0000001", "/tmp/x y/z"; the others hold a backslash, a quote, a
        // tab or a character outside the BMP, which the writer escapes) take the fast path whatever the output holds.
        Assert.Equal(3 * s_outputs.Length * 5, fastAccepted);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Never_accepts_a_damaged_record_the_full_parser_would_refuse_or_read_otherwise(int version)
    {
        // Version 2: the damage is sealed with a fresh checksum, as if the writer had written it, so that it reaches
        // both parsers; the checksum's own part is the next test.
        using var writer = new RecordWriter();
        var random = new Random(20261122 + version);
        IJournalRecordReader reader = version == 1 ? JournalReaderV1.Instance : JournalReaderV2.Instance;
        var checkedCount = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var body = Body(writer, random);
            var damaged = Mutate(body, random);
            var line = version == 1 ? V1(damaged) : LineChecksum.Sealed(damaged);
            var fast = new JournalRecord();
            var fastProblem = reader.TryParse(line, fast, details: false);
            if (!CompletedRecordFastPath.TryParseBody(damaged, new JournalRecord()))
            {
                continue;
            }

            checkedCount++;
            Assert.Null(fastProblem);
            var full = Full(reader, line);
            Assert.True(full is not null, $"the fast path accepted a line the full parser refuses: {Encoding.UTF8.GetString(line)}");
            AssertSame(full!, fast);
        }

        Assert.True(checkedCount > 100, $"too few mutated lines were accepted to test anything ({checkedCount})");
    }

    [Fact]
    public void A_version_2_line_changed_after_it_was_sealed_is_refused_by_both_paths()
    {
        using var writer = new RecordWriter();
        var random = new Random(20261129);
        var changed = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var line = LineChecksum.Sealed(Body(writer, random));
            var damaged = Mutate(line, random);
            if (damaged.AsSpan().SequenceEqual(line))
            {
                continue;
            }

            changed++;
            var problemFast = JournalReaderV2.Instance.TryParse(damaged, new JournalRecord(), details: false);
            var problemFull = JournalReaderV2.Instance.TryParse(damaged, new JournalRecord(), details: true);
            Assert.True(problemFast is not null, $"the fast path accepted a damaged line: {Encoding.UTF8.GetString(damaged)}");
            Assert.True(problemFull is not null, $"the full parser accepted a damaged line: {Encoding.UTF8.GetString(damaged)}");
        }

        Assert.True(changed > 10_000, $"too few lines were changed to test anything ({changed})");
    }

    private static byte[] Body(RecordWriter writer, Random random)
    {
        var key = s_keys[random.Next(s_keys.Length)];
        var output = s_outputs[random.Next(s_outputs.Length)];
        var line = Line(writer.ItemCompleted(key, s_time, random.Next(1, 100), random.NextDouble() * 100, output));
        Assert.Null(LineChecksum.Verify(line, out var body));
        return body.ToArray();
    }

    private static byte[] V1(ReadOnlySpan<byte> body)
    {
        var line = new byte[body.Length + 1];
        body.CopyTo(line);
        line[^1] = (byte)'}';
        return line;
    }

    private static byte[] Mutate(byte[] line, Random random)
    {
        var copy = (byte[])line.Clone();
        switch (random.Next(5))
        {
            case 0:
                copy[random.Next(copy.Length)] = s_alphabet[random.Next(s_alphabet.Length)];
                return copy;
            case 1:
                return copy.AsSpan(0, random.Next(copy.Length)).ToArray();
            case 2:
                var at = random.Next(copy.Length);
                var longer = new byte[copy.Length + 1];
                copy.AsSpan(0, at).CopyTo(longer);
                longer[at] = s_alphabet[random.Next(s_alphabet.Length)];
                copy.AsSpan(at).CopyTo(longer.AsSpan(at + 1));
                return longer;
            case 3:
                copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
                return copy;
            default:
                // A change that keeps the shape: a digit for a digit, which both parsers must read the same way.
                for (var i = 0; i < copy.Length; i++)
                {
                    if (copy[i] >= (byte)'0' && copy[i] <= (byte)'9' && random.Next(4) == 0)
                    {
                        copy[i] = (byte)('0' + random.Next(10));
                    }
                }

                return copy;
        }
    }

    private static ReadOnlySpan<byte> Line(ArraySegment<byte> record) => record.AsSpan(0, record.Count - 1);

    private static JournalRecord? Full(IJournalRecordReader reader, ReadOnlySpan<byte> line)
    {
        var record = new JournalRecord();
        // details: true skips the fast path; the date itself is not parsed during a load, by either path.
        return reader.TryParse(line, record, details: true) is null ? record : null;
    }

    private static void AssertSame(JournalRecord full, JournalRecord fast)
    {
        Assert.Equal(full.Type, fast.Type);
        Assert.Equal(full.Key, fast.Key);
        Assert.Equal(full.Attempt, fast.Attempt);
        Assert.Equal(full.HasOutput, fast.HasOutput);
    }
}
