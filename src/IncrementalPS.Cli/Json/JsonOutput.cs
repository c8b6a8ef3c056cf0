using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>Maps the engine's status and item records onto the documented JSON shapes and writes them to standard output.</summary>
internal static class JsonOutput
{
    // Keys are file paths and the like: keep them readable (é, not \u00e9). Output goes to a pipe, never into HTML.
    private static readonly CliJsonContext s_context = new(new JsonSerializerOptions
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = true,
    });

    // The same shapes for the status page (incps serve): compact, and with <, >, & and ' escaped (\u003C) so that
    // no key or error can read as markup even to a client that mistakes the JSON for HTML.
    private static readonly CliJsonContext s_webContext = new(new JsonSerializerOptions());

    /// <summary>
    /// Writes <paramref name="value"/> as JSON, then a newline, to standard output: UTF-8 bytes when it is redirected, as
    /// JSON requires (RFC 8259), whatever the console's code page (on Windows Console.Out would write the OEM code page,
    /// turning every key outside it into '?'); on a console, as text, which the console shows correctly.
    /// </summary>
    public static void Write<T>(T value, Func<CliJsonContext, JsonTypeInfo<T>> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var json = JsonSerializer.Serialize(value, type(s_context));
        if (!Console.IsOutputRedirected)
        {
            Console.Out.WriteLine(json);
            return;
        }

        Console.Out.Flush();
        using var stdout = Console.OpenStandardOutput();
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(json + Environment.NewLine);
        stdout.Write(bytes, 0, bytes.Length);
        stdout.Flush();
    }

    /// <summary><paramref name="value"/> as UTF-8 JSON for an HTTP response: the same shape as <see cref="Write"/> writes.</summary>
    public static byte[] ToWebUtf8<T>(T value, Func<CliJsonContext, JsonTypeInfo<T>> type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return JsonSerializer.SerializeToUtf8Bytes(value, type(s_webContext));
    }

    /// <summary>The JSON view of a checkpoint's status.</summary>
    public static StatusJson FromStatus(CheckpointStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new StatusJson
        {
            Name = status.Name,
            Path = status.Path,
            State = StateName(status.State),
            Completed = status.Completed,
            Failed = status.Failed,
            InFlight = status.InFlight,
            Total = status.Total,
            PercentComplete = status.PercentComplete is double p ? Math.Round(p, 2) : null,
            Rate = status.Rate is double r ? Math.Round(r, 3) : null,
            EtaSeconds = status.Eta?.TotalSeconds is double eta ? Math.Round(eta, 1) : null,
            StartedAt = status.StartedAt?.UtcDateTime,
            UpdatedAt = status.UpdatedAt?.UtcDateTime,
            Owner = status.Owner is { } owner
                ? new OwnerJson { ProcessId = owner.ProcessId, HostName = owner.HostName, StartedAt = owner.StartedAt.UtcDateTime, Writer = owner.Writer }
                : null,
            FormatVersion = status.FormatVersion,
            Runs = status.Runs,
        };
    }

    /// <summary>
    /// The JSON view of a checkpoint in a PostgreSQL store: the same shape, with <c>path</c> naming the server and the
    /// checkpoint (never a password), <c>formatVersion</c> the schema's version, no single owner, and the live workers.
    /// </summary>
    public static StatusJson FromShared(SharedCheckpointStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new StatusJson
        {
            Name = status.Name,
            Path = status.Store + "#" + status.Name,
            State = StateName(status.State),
            Completed = status.Completed,
            Failed = status.Failed,
            InFlight = status.InFlight,
            Total = status.Total,
            PercentComplete = status.PercentComplete is double p ? Math.Round(p, 2) : null,
            Rate = status.Rate is double r ? Math.Round(r, 3) : null,
            EtaSeconds = status.Eta?.TotalSeconds is double eta ? Math.Round(eta, 1) : null,
            StartedAt = status.StartedAt?.UtcDateTime,
            UpdatedAt = status.UpdatedAt?.UtcDateTime,
            Owner = null,
            FormatVersion = status.SchemaVersion,
            Runs = status.Runs,
            Workers = status.LiveWorkers.Select(w => new WorkerJson
            {
                Run = w.Run,
                HostName = w.Host,
                ProcessId = w.ProcessId,
                StartedAt = w.Since.UtcDateTime,
                HeartbeatAt = w.LastHeartbeat.UtcDateTime,
                Writer = w.Writer,
                Done = w.Done,
            }).ToList(),
        };
    }

    /// <summary>The JSON view of a checkpoint that could not be read, in a listing.</summary>
    public static StatusJson Unreadable(CheckpointLocation location, string error)
    {
        ArgumentNullException.ThrowIfNull(location);
        return new StatusJson { Name = location.Name, Path = location.FilePath, State = UnreadableState, Error = error };
    }

    /// <summary>The state name of a checkpoint that could not be read.</summary>
    public const string UnreadableState = "unreadable";

    /// <summary>The JSON view of items.</summary>
    public static List<ItemJson> FromItems(IEnumerable<CheckpointItem> items)
        => items.Select(item => new ItemJson
        {
            Key = item.Key,
            State = StateName(item.State),
            Attempts = item.Attempts,
            Error = item.Error is { } error ? new ItemErrorJson { Message = error.Message, Type = error.Type, Category = error.Category } : null,
            CompletedAt = item.CompletedAt?.UtcDateTime,
            UpdatedAt = item.UpdatedAt?.UtcDateTime,
            DurationMs = item.Duration?.TotalMilliseconds,
            Deaths = item.Deaths,
            HasSavedOutput = item.HasSavedOutput,
        }).ToList();

    /// <summary>completed, failed or inflight: the same words as <c>incps items --state</c>.</summary>
    public static string StateName(ItemState state) => state switch
    {
        ItemState.Completed => "completed",
        ItemState.Failed => "failed",
        ItemState.InFlight => "inflight",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown item state."),
    };

    /// <summary>running, interrupted, completed, failed or suspended.</summary>
    public static string StateName(CheckpointState state) => state switch
    {
        CheckpointState.Running => "running",
        CheckpointState.Interrupted => "interrupted",
        CheckpointState.Completed => "completed",
        CheckpointState.Failed => "failed",
        CheckpointState.Suspended => "suspended",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, "Unknown checkpoint state."),
    };
}
