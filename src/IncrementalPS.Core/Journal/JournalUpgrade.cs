using System;
using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace IncrementalPS.Core;

/// <summary>
/// Turns the lines of an older format version into the current one while a file is rewritten (compaction, reset), and
/// opens a checkpoint for a run, which rewrites a version 1 file first: a run appends current lines, and a file must
/// hold one version throughout. Version 1 to 2: the header's version becomes 2, and every line gains its checksum.
/// </summary>
internal static class JournalUpgrade
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = false };

    /// <summary>
    /// Loads a checkpoint that this process is about to write (it holds the lock): refuses a read-only file, and rewrites
    /// a file of an older version as the current one, so that every line the run appends matches the file's version.
    /// </summary>
    public static LoadedJournal LoadForWriting(string path)
    {
        var loaded = JournalLoader.Load(path);
        FileOwnership.EnsureWritable(path);
        // Version 3 (hashed keys) is version 2's records under another header: nothing to upgrade.
        if (loaded.Scan.Header.Version >= JournalFormat.CurrentVersion)
        {
            return loaded;
        }

        Compactor.Compact(path, loaded.Keys, loaded.Runs);
        return JournalLoader.Load(path);
    }

    /// <summary>The version a header line declares (it was validated by the load that preceded the rewrite).</summary>
    public static int VersionOf(ReadOnlySpan<byte> header)
    {
        using var document = JsonDocument.Parse(header.ToArray());
        return document.RootElement.GetProperty("version").GetInt32();
    }

    /// <summary>A version 1 header as a version 2 header: every field kept, in order, with version 2 and the checksum.</summary>
    public static byte[] HeaderToCurrent(ReadOnlySpan<byte> header)
    {
        using var document = JsonDocument.Parse(header.ToArray());
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.NameEquals("version"u8))
                {
                    json.WriteNumber("version"u8, JournalFormat.CurrentVersion);
                }
                else if (!property.NameEquals("crc"u8))
                {
                    property.WriteTo(json);
                }
            }

            json.Flush();
        }

        // The writer never closed the object: the checksum does.
        return LineChecksum.Sealed(buffer.ToArray());
    }

    /// <summary>A version 1 record line (a validated JSON object) with its checksum added.</summary>
    public static byte[] RecordToCurrent(ReadOnlySpan<byte> line)
    {
        var end = line.Length;
        while (end > 0 && line[end - 1] is (byte)' ' or (byte)'\t' or (byte)'\r')
        {
            end--;
        }

        if (end < 2 || line[end - 1] != (byte)'}')
        {
            throw new InvalidDataException("A version 1 record does not end with '}'.");
        }

        return LineChecksum.Sealed(line.Slice(0, end - 1));
    }
}
