using System;
using System.Text;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// The load's fast path for item-completed lines must never accept a line the full JSON parser (as a load runs it)
/// would read differently or refuse: it may only decline, and hand the line over.
/// </summary>
public sealed class CompletedRecordFastPathTests
{
    private static readonly string[] s_keys = ["a", "item-0000001", "C:\\data\\in\\a.csv", "naïve ☃ 𝄞", "with \"quotes\"", "tab\there", "/tmp/x y/z"];
    private static readonly string?[] s_outputs = [null, "", "plain", "<Objs Version=\"1.1.0.1\">\r\n  <S>x</S>\r\n</Objs>", "\u0001\u001f"];

    [Fact]
    public void Reads_what_the_record_writer_writes_exactly_as_the_full_parser_does()
    {
        using var writer = new RecordWriter();
        var time = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);
        var fastAccepted = 0;
        foreach (var key in s_keys)
        {
            foreach (var output in s_outputs)
            {
                foreach (var ms in new[] { 0.0, 0.171, 12.5, 123456.789, 1e-5 })
                {
                    var line = Line(writer.ItemCompleted(key, time, 7, ms, output));
                    var full = Full(line);
                    Assert.NotNull(full);
                    var fast = new JournalRecord();
                    if (CompletedRecordFastPath.TryParse(line, fast))
                    {
                        fastAccepted++;
                        AssertSame(full!, fast);
                    }
                }
            }
        }

        // Keys written without escapes ("a", "item-0000001", "/tmp/x y/z"; the others hold a backslash, a quote, a
        // tab or a character outside the BMP, which the writer escapes) take the fast path whatever the output holds.
        Assert.Equal(3 * s_outputs.Length * 5, fastAccepted);
    }

    [Fact]
    public void Never_accepts_a_damaged_line_the_full_parser_would_refuse_or_read_otherwise()
    {
        using var writer = new RecordWriter();
        var time = new DateTime(2026, 11, 22, 10, 0, 0, DateTimeKind.Utc);
        var random = new Random(20261122);
        byte[] alphabet = Encoding.ASCII.GetBytes("{}[]\":,\\ 0123456789.-eEtfnu\u00ff");
        var checkedCount = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var key = s_keys[random.Next(s_keys.Length)];
            var output = s_outputs[random.Next(s_outputs.Length)];
            var bytes = Line(writer.ItemCompleted(key, time, random.Next(1, 100), random.NextDouble() * 100, output)).ToArray();
            var damaged = Mutate(bytes, random, alphabet);
            var fast = new JournalRecord();
            if (!CompletedRecordFastPath.TryParse(damaged, fast))
            {
                continue;
            }

            checkedCount++;
            var full = Full(damaged);
            Assert.True(full is not null, $"the fast path accepted a line the full parser refuses: {Encoding.UTF8.GetString(damaged)}");
            AssertSame(full!, fast);
        }

        Assert.True(checkedCount > 100, $"too few mutated lines were accepted to test anything ({checkedCount})");
    }

    private static byte[] Mutate(byte[] line, Random random, byte[] alphabet)
    {
        var copy = (byte[])line.Clone();
        switch (random.Next(4))
        {
            case 0:
                copy[random.Next(copy.Length)] = alphabet[random.Next(alphabet.Length)];
                return copy;
            case 1:
                return copy.AsSpan(0, random.Next(copy.Length)).ToArray();
            case 2:
                var at = random.Next(copy.Length);
                var longer = new byte[copy.Length + 1];
                copy.AsSpan(0, at).CopyTo(longer);
                longer[at] = alphabet[random.Next(alphabet.Length)];
                copy.AsSpan(at).CopyTo(longer.AsSpan(at + 1));
                return longer;
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

    private static JournalRecord? Full(ReadOnlySpan<byte> line)
    {
        var record = new JournalRecord();
        // details: true skips the fast path; the date itself is not parsed during a load, by either path.
        return JournalReaderV1.Instance.TryParse(line, record, details: true) is null ? record : null;
    }

    private static void AssertSame(JournalRecord full, JournalRecord fast)
    {
        Assert.Equal(full.Type, fast.Type);
        Assert.Equal(full.Key, fast.Key);
        Assert.Equal(full.Attempt, fast.Attempt);
        Assert.Equal(full.HasOutput, fast.HasOutput);
    }
}
