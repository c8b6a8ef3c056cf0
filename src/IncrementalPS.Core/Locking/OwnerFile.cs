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
            bytes = File.ReadAllBytes(path);
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
