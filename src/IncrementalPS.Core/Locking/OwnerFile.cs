using System;
using System.IO;
using System.Collections.Generic;
using System.Text.Json;

namespace IncrementalPS.Core;

/// <summary>
/// The small file beside a checkpoint that says which process holds its lock. The lock file itself cannot be read
/// while held (it is opened exclusively), so the holder writes this one right after taking the lock.
/// </summary>
internal static class OwnerFile
{
    public static void Write(string path, CheckpointOwner owner)
    {
        AtomicFile.Write(path, stream =>
        {
            using var json = new Utf8JsonWriter(stream);
            json.WriteStartObject();
            json.WriteNumber("pid", owner.ProcessId);
            json.WriteString("host", owner.HostName);
            json.WriteString("started", owner.StartedAt);
            json.WriteString("writer", owner.Writer);
            json.WriteEndObject();
        }, durable: false);
    }

    /// <summary>The owner recorded in <paramref name="path"/>, or null when there is none or it cannot be read.</summary>
    public static CheckpointOwner? TryRead(string path)
    {
        byte[] bytes;
        try
        {
            // Sharing write and delete: the holder must stay free to replace or delete the file while it is read
            // (Windows refuses both while a handle without those shares is open).
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            bytes = new byte[stream.Length];
            var read = 0;
            while (read < bytes.Length && stream.Read(bytes, read, bytes.Length - read) is var n && n > 0)
            {
                read += n;
            }

            if (read < bytes.Length)
            {
                Array.Resize(ref bytes, read);
            }
        }
        catch (IOException)
        {
            // Missing, or being replaced right now: the caller reports the holder as unknown.
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        return TryParse(bytes);
    }

    /// <summary>The owner an owner file's <paramref name="bytes"/> name, or null when they are not an owner file.</summary>
    public static CheckpointOwner? TryParse(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            var root = document.RootElement;
            return new CheckpointOwner(
                root.GetProperty("pid").GetInt32(),
                root.GetProperty("host").GetString() ?? "?",
                root.GetProperty("started").GetDateTimeOffset(),
                root.TryGetProperty("writer", out var w) && w.ValueKind == JsonValueKind.String ? w.GetString() : null);
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Written by a different tool or damaged: it only ever serves to name the holder in a message.
            return null;
        }
    }
}
