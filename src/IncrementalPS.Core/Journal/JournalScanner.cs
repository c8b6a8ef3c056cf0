using System;
using System.IO;
using System.Text;
using System.Text.Json;

#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Reads a checkpoint file from start to end: checks the header, picks the reader for its version, hands each record
/// to a callback, and tells a torn last record (a crash mid-write) from damage (anything else that does not parse).
/// Never writes.
/// </summary>
internal static class JournalScanner
{
    public delegate void RecordHandler(JournalRecord record, long offset, long length);

    // A load calls this once per record, millions of times in one go: compile it optimized from the start
    // instead of running unoptimized code until tiered compilation catches up.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public static ScanResult Scan(Stream stream, string path, bool details, RecordHandler onRecord)
    {
        var lines = new JournalLineReader(stream);
        if (!lines.TryReadLine(out _, out var headerLine, out var headerTerminated))
        {
            throw new CheckpointFormatException(path, "the file is empty");
        }

        var header = ParseHeader(headerLine, headerTerminated, path);
        var reader = ReaderFor(header.Version);

        var record = new JournalRecord();
        long lineNumber = 1;
        long validLength = headerLine.Length + 1;
        long recordCount = 0;
        long badLine = 0;
        string? badReason = null;
        long badOffset = 0;

        var reservedTail = false;
        while (lines.TryReadLine(out var offset, out var line, out var terminated))
        {
            lineNumber++;
            if (!terminated && badReason is null && IsNul(line))
            {
                // Space a mapped journal reserved past its last record (MappedJournalAppender): no record lost.
                reservedTail = true;
                continue;
            }

            if (IsBlank(line))
            {
                // A run of NUL bytes is what a power failure leaves past the last flushed block: harmless at the
                // end of the file, damage anywhere before a record.
                if (badReason is null)
                {
                    badLine = lineNumber;
                    badReason = "a blank or zero-filled line";
                    badOffset = offset;
                }

                continue;
            }

            if (badReason is not null)
            {
                // A bad line followed by more records is damage, not a torn tail.
                throw new CheckpointCorruptException(path, badLine, badReason);
            }

            var problem = terminated ? reader.TryParse(line, record, details) : "the last record was cut short (no end of line)";
            if (problem is not null)
            {
                badLine = lineNumber;
                badReason = problem;
                badOffset = offset;
                continue;
            }

            recordCount++;
            var length = line.Length + 1;
            validLength = offset + length;
            onRecord(record, offset, length);
        }

        var torn = badReason is not null || (validLength < stream.Length && !reservedTail);
        if (badReason is not null)
        {
            validLength = badOffset;
        }

        return new ScanResult(header, validLength, torn, recordCount);
    }

    /// <summary>
    /// Reads and checks the header only, with the same checks as <see cref="Scan"/> (<see cref="CheckpointFileCheck"/>).
    /// Reads at most the first 64 KiB, so pointing it at a large file that is no checkpoint costs little.
    /// </summary>
    public static JournalHeader ReadHeader(Stream stream, string path)
    {
        var prefix = new byte[64 * 1024];
        var length = 0;
        int read;
        while (length < prefix.Length && (read = stream.Read(prefix, length, prefix.Length - length)) > 0)
        {
            length += read;
        }

        if (length == 0)
        {
            throw new CheckpointFormatException(path, "the file is empty");
        }

        var end = Array.IndexOf(prefix, (byte)'\n', 0, length);
        var line = new ReadOnlySpan<byte>(prefix, 0, end < 0 ? length : end);
        return ParseHeader(line, terminated: end >= 0, path);
    }

    /// <summary>Picks the record reader for a format version; versions newer than this build are refused earlier.</summary>
    public static IJournalRecordReader ReaderFor(int version) => version switch
    {
        1 => JournalReaderV1.Instance,
        // Version 3 differs from 2 in its header only (its keys are hashes): the records read the same.
        2 or 3 => JournalReaderV2.Instance,
        _ => throw new InvalidOperationException($"No reader for format version {version}."),
    };

    private static JournalHeader ParseHeader(ReadOnlySpan<byte> line, bool terminated, string path)
    {
        var formatPrefix = Encoding.UTF8.GetBytes("{\"format\":\"" + JournalFormat.FormatId + "\"");
        var looksOurs = line.StartsWith(formatPrefix);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException ex)
        {
            if (looksOurs)
            {
                throw new CheckpointCorruptException(path, 1, "the header is cut short or damaged", ex);
            }

            throw new CheckpointFormatException(path, "its first line is not a checkpoint header", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("format", out var format)
                || format.ValueKind != JsonValueKind.String
                || !format.ValueEquals(JournalFormat.FormatId))
            {
                throw new CheckpointFormatException(path, $"its first line does not say \"format\":\"{JournalFormat.FormatId}\"");
            }

            if (!terminated)
            {
                throw new CheckpointCorruptException(path, 1, "the header is cut short (no end of line)");
            }

            var hasVersion = root.TryGetProperty("version", out var versionElement)
                && versionElement.ValueKind == JsonValueKind.Number
                && versionElement.TryGetInt32(out _);
            var version = hasVersion ? versionElement.GetInt32() : 0;

            // Checked before the version is believed: a flipped bit must turn version 2 neither into a version without
            // checksums nor into a newer one ("update IncrementalPS" would be the wrong advice). Every format from
            // version 2 on seals its header this way (docs/checkpoint-format.md); version 1 headers never carry a crc.
            if (version >= 2 || root.TryGetProperty("crc", out _))
            {
                var problem = LineChecksum.Verify(line, out _);
                if (problem is not null)
                {
                    throw new CheckpointCorruptException(path, 1, "the header is damaged: " + problem);
                }
            }

            if (version > JournalFormat.NewestReadableVersion)
            {
                throw new CheckpointVersionException(path, version, JournalFormat.NewestReadableVersion);
            }

            if (!hasVersion || version < 1)
            {
                throw new CheckpointCorruptException(path, 1, "the header has no valid \"version\"");
            }

            DateTime? created = root.TryGetProperty("created", out var c) && c.ValueKind == JsonValueKind.String && c.TryGetDateTime(out var t) ? t : null;
            string? writer, name;
            try
            {
                writer = root.TryGetProperty("writer", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null;
                name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument checks a string's UTF-8 only when it is read: a version 1 header has no checksum to catch it.
                throw new CheckpointCorruptException(path, 1, "the header holds text that is not valid UTF-8", ex);
            }

            return new JournalHeader(version, created, writer, name, KeyHashCheckOf(root, version, path));
        }
    }

    /// <summary>The check value of a version 3 header's <c>keyHash</c> member; null for older versions, which have none.</summary>
    private static string? KeyHashCheckOf(JsonElement root, int version, string path)
    {
        if (version < JournalFormat.HashedKeysVersion)
        {
            return null;
        }

        if (!root.TryGetProperty("keyHash", out var keyHash)
            || keyHash.ValueKind != JsonValueKind.Object
            || !keyHash.TryGetProperty("alg", out var alg)
            || alg.ValueKind != JsonValueKind.String
            || !keyHash.TryGetProperty("check", out var check)
            || check.ValueKind != JsonValueKind.String)
        {
            throw new CheckpointCorruptException(path, 1, "the header of a checkpoint of hashed keys has no valid \"keyHash\"");
        }

        if (!alg.ValueEquals(KeyHasher.Algorithm))
        {
            throw new CheckpointFormatException(path, $"its keys are hashed with '{alg.GetString()}', which this build does not know (it knows '{KeyHasher.Algorithm}')");
        }

        return check.GetString();
    }

    /// <summary>True when every byte is NUL (also for none).</summary>
    internal static bool IsNul(ReadOnlySpan<byte> line)
    {
#if NET
        return line.IndexOfAnyExcept((byte)0) < 0;
#else
        foreach (var b in line)
        {
            if (b != 0)
            {
                return false;
            }
        }

        return true;
#endif
    }

    private static bool IsBlank(ReadOnlySpan<byte> line)
    {
        foreach (var b in line)
        {
            if (b != 0 && b != (byte)' ' && b != (byte)'\r' && b != (byte)'\t')
            {
                return false;
            }
        }

        return true;
    }
}
