using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using IncrementalPS.Core;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// What the CRC-32C of format version 2 costs per item: writing a record (serializing and sealing it) and loading a
/// journal of item-completed records, the same records in version 1 (no checksum: the code before) and version 2.
/// Uses the engine's internal types (InternalsVisibleTo); run it by hand with --checksum-cost [records].
/// </summary>
internal static class ChecksumCost
{
    private const int Repetitions = 7;

    public static void Run(int records, string directory)
    {
        Directory.CreateDirectory(directory);
        var keys = Enumerable.Range(0, records).Select(i => "item-" + i.ToString("D7", CultureInfo.InvariantCulture)).ToArray();
        var time = new DateTime(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);
        var v2 = Path.Combine(directory, "v2.checkpoint.jsonl");
        var v1 = Path.Combine(directory, "v1.checkpoint.jsonl");
        WriteJournals(keys, time, v1, v2);

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{records:N0} item-completed records; median of {Repetitions} after one warm-up pass; ns per record"));
        Console.WriteLine("| step | ns per record |");
        Console.WriteLine("| --- | ---: |");
        using var writer = new RecordWriter();
        Row("serialize and seal a record (RecordWriter, version 2)", records, () =>
        {
            long bytes = 0;
            foreach (var key in keys)
            {
                bytes += writer.ItemCompleted(key, time, 1, 1.5, null).Count;
            }

            return bytes;
        });
        var bodies = File.ReadLines(v2).Skip(1).Select(l => System.Text.Encoding.UTF8.GetBytes(l[..^18])).ToArray();
        Row("of which the CRC-32C of the record (hardware, net8.0)", records, () => bodies.Sum(b => (long)Crc32C.Compute(b)));
        Row("the same CRC-32C by table (netstandard2.0, Windows PowerShell)", records, () => bodies.Sum(b => (long)Crc32C.ComputeWithTable(b)));
        var before = Row("load a version 1 journal (no checksums: before)", records, () => JournalLoader.Load(v1).Keys.Count);
        var after = Row("load a version 2 journal (checksum verified per line: after)", records, () => JournalLoader.Load(v2).Keys.Count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| load: version 2 over version 1 | {after - before:F0} ({(after / before - 1) * 100:F0} %) |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"file sizes: version 1 {new FileInfo(v1).Length:N0} bytes, version 2 {new FileInfo(v2).Length:N0} bytes"));
    }

    private static void WriteJournals(string[] keys, DateTime time, string v1, string v2)
    {
        using var writer = new RecordWriter();
        using (var file = File.Create(v2))
        {
            Write(file, writer.Header("bench", "bench", time, Array.Empty<KeyValuePair<string, string>>()));
            Write(file, writer.RunStarted(1, time, CheckpointOwner.ForCurrentProcess("bench"), null, keys.Length, Array.Empty<KeyValuePair<string, string>>()));
            foreach (var key in keys)
            {
                Write(file, writer.ItemCompleted(key, time, 1, 1.5, null));
            }
        }

        // Version 1 as its writer wrote it: the same lines without the checksum, the header saying 1.
        var lines = File.ReadLines(v2).Select((line, i) => (i == 0 ? line.Replace("\"version\":2", "\"version\":1", StringComparison.Ordinal) : line)[..^18] + "}");
        File.WriteAllLines(v1, lines);
    }

    private static void Write(Stream stream, ArraySegment<byte> line) => stream.Write(line.Array!, line.Offset, line.Count);

    private static double Row(string name, int records, Func<long> work)
    {
        work();
        var times = new List<double>();
        for (var i = 0; i < Repetitions; i++)
        {
            var clock = Stopwatch.StartNew();
            GC.KeepAlive(work());
            times.Add(clock.Elapsed.TotalMilliseconds * 1_000_000 / records);
        }

        times.Sort();
        var median = times[Repetitions / 2];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {median:F1} |"));
        return median;
    }
}
