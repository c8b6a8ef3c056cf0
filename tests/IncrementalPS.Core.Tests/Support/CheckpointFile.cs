using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>Reads checkpoint files the way any other program would: as bytes, or as JSON Lines.</summary>
internal static class CheckpointFile
{
    /// <summary>The file's bytes, read without disturbing a live writer.</summary>
    public static byte[] ReadBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    /// <summary>
    /// The file's bytes up to the end of its last record: what a reader sees of a checkpoint a run is writing, whose
    /// mapped journal keeps NUL bytes reserved past its last record (docs/checkpoint-format.md).
    /// </summary>
    public static byte[] ReadWritten(string path)
    {
        var bytes = ReadBytes(path);
        var end = bytes.Length;
        while (end > 0 && bytes[end - 1] == 0)
        {
            end--;
        }

        return bytes[..end];
    }

    public static string Sha256(string path) => Convert.ToHexString(SHA256.HashData(ReadBytes(path)));

    /// <summary>
    /// Asserts the file is well-formed JSON Lines (UTF-8, every line ends with '\n' and is one JSON object) and
    /// returns the parsed lines. The caller disposes nothing: the documents are cloned into elements.
    /// </summary>
    public static IReadOnlyList<JsonElement> ReadJsonLines(string path)
    {
        var bytes = ReadWritten(path);
        Assert.True(bytes.Length > 0, $"'{path}' is empty");
        Assert.True(bytes[^1] == (byte)'\n', $"'{path}' does not end with a newline");
        var text = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true).GetString(bytes);
        var lines = text[..^1].Split('\n');
        var parsed = new List<JsonElement>(lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            try
            {
                using var document = JsonDocument.Parse(lines[i]);
                Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
                parsed.Add(document.RootElement.Clone());
            }
            catch (JsonException ex)
            {
                Assert.Fail($"line {i + 1} of '{path}' is not JSON ({ex.Message}): {lines[i]}");
            }
        }

        return parsed;
    }

    /// <summary>The records after the header, optionally only those of one type.</summary>
    public static IReadOnlyList<JsonElement> Records(string path, string? type = null)
    {
        var lines = ReadJsonLines(path);
        var records = new List<JsonElement>();
        for (var i = 1; i < lines.Count; i++)
        {
            if (type is null || lines[i].GetProperty("type").GetString() == type)
            {
                records.Add(lines[i]);
            }
        }

        return records;
    }

    /// <summary>The byte offset where the file's last line starts (the file ends with '\n').</summary>
    public static int LastLineStart(byte[] bytes)
    {
        var end = bytes.Length - 1;
        Assert.Equal((byte)'\n', bytes[end]);
        var previousNewline = Array.LastIndexOf(bytes, (byte)'\n', end - 1);
        return previousNewline + 1;
    }

    /// <summary>
    /// Rewrites the header's format version and seals it again, as a newer IncrementalPS would have written it (a
    /// plain text edit would break the header's checksum, which is damage, not a newer version).
    /// </summary>
    public static void SetHeaderVersion(string path, int version)
    {
        var bytes = ReadBytes(path);
        var end = Array.IndexOf(bytes, (byte)'\n');
        var body = Encoding.UTF8.GetString(bytes, 0, end - LineChecksum.SuffixLength);
        body = System.Text.RegularExpressions.Regex.Replace(body, "\"version\":\\d+", $"\"version\":{version}");
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        file.Write(LineChecksum.Sealed(Encoding.UTF8.GetBytes(body)));
        file.Write(bytes, end, bytes.Length - end);
    }
}
