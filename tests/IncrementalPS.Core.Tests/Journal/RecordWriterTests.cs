using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Encodings.Web;
using System.Text.Json;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// The item-completed record, written per item without Utf8JsonWriter where the key needs no escaping, is byte for byte
/// the line Utf8JsonWriter writes (the reference below builds it independently, then seals it as format version 2 does).
/// </summary>
public sealed class RecordWriterTests
{
    public static TheoryData<string> Keys()
    {
        var keys = new TheoryData<string> { "item-0000001", "a", " ", "~", "C:/photos/2024/IMG 0001.JPG", "k" + new string('x', 900) };
        // Every printable ASCII character, and the characters around that range that need escaping or are not ASCII.
        for (var c = 0; c < 0x80; c++)
        {
            keys.Add("k" + (char)c + "k");
        }

        keys.Add("é"); keys.Add("日本"); keys.Add("\u2028"); keys.Add("tab\there"); keys.Add("quote\"back\\slash");
        keys.Add("<tag>&'+`");
        return keys;
    }

    [Theory]
    [MemberData(nameof(Keys))]
    public void An_item_completed_record_is_the_bytes_Utf8JsonWriter_writes(string key)
    {
        using var writer = new RecordWriter();
        var time = new DateTime(2026, 11, 29, 20, 59, 1, 234, DateTimeKind.Utc).AddTicks(5678);

        var written = writer.ItemCompleted(key, time, 3, 12.3456, output: null);

        Assert.Equal(Reference(key, time, 3, 12.3456), written.ToArray());
    }

    [Fact]
    public void Attempts_and_durations_of_every_size_are_formatted_as_Utf8JsonWriter_formats_them()
    {
        using var writer = new RecordWriter();
        var random = new Random(10);
        var durations = new List<double> { 0, 0.0004, 0.0005, 0.001, 1, 1.5, 999.9995, 123456.789, 1e9, 1e15, 1e17, 1e20, 1.7976931348623157e308, -0.0 };
        durations.AddRange(Enumerable.Range(0, 2000).Select(_ => random.NextDouble() * Math.Pow(10, random.Next(-4, 12))));
        var attempts = new[] { 1, 2, 9, 10, 99, 12345, int.MaxValue };
        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var ms in durations)
        {
            var attempt = attempts[random.Next(attempts.Length)];
            Assert.Equal(Reference("item-7", time, attempt, ms), writer.ItemCompleted("item-7", time, attempt, ms, output: null).ToArray());
            time = time.AddTicks(random.Next(1, 30_000));
        }
    }

    [Fact]
    public void Durations_formatted_from_whole_microseconds_are_the_text_of_the_rounded_double()
    {
        // The record's duration is written from whole microseconds below 1e9 ms: every kind of value there, halves
        // (which round to even) and the edges of that range included.
        using var writer = new RecordWriter();
        var random = new Random(11);
        var durations = new List<double> { 0, -0.0, 0.0005, Math.BitDecrement(1e9), 999999999.9995, 0.0001, 0.0015, 0.0025, 1.0005, 2.0005, 0.1235, 0.9995, 9.9995, 99.9995, 999999999.9994, 999999999.9996, 999999999.999, 1e9 - 1e-7, 1e9, 1e9 + 1 };
        for (var i = 0; i < 50_000; i++)
        {
            var exponent = random.Next(-4, 10);
            durations.Add(random.NextDouble() * Math.Pow(10, exponent));
            durations.Add((random.Next(0, 1_000_000) + 0.5) / 1000 * Math.Pow(10, random.Next(0, 4)));
        }

        var time = new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
        foreach (var ms in durations)
        {
            Assert.Equal(Reference("k", time, 1, ms), writer.ItemCompleted("k", time, 1, ms, output: null).ToArray());
        }
    }

    private static byte[] Reference(string key, DateTime time, int attempt, double milliseconds)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("type", "item-completed");
            json.WriteString("key", key);
            json.WriteString("time", new DateTime(time.Ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture));
            json.WriteNumber("attempt", attempt);
            json.WriteNumber("ms", Math.Round(milliseconds, 3));
            json.Flush();
        }

        return [.. LineChecksum.Sealed(buffer.ToArray()), (byte)'\n'];
    }
}
