using System;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>One key's record in <c>incps items --json</c>. The property names are a stable, documented contract (docs/cli-json.md).</summary>
internal sealed class ItemJson
{
    [JsonPropertyName("key")]
    public required string Key { get; init; }

    /// <summary>completed, failed or inflight.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("attempts")]
    public required int Attempts { get; init; }

    [JsonPropertyName("error")]
    public ItemErrorJson? Error { get; init; }

    [JsonPropertyName("completedAt")]
    public DateTime? CompletedAt { get; init; }

    [JsonPropertyName("updatedAt")]
    public DateTime? UpdatedAt { get; init; }

    [JsonPropertyName("durationMs")]
    public double? DurationMs { get; init; }

    [JsonPropertyName("deaths")]
    public required int Deaths { get; init; }

    [JsonPropertyName("hasSavedOutput")]
    public required bool HasSavedOutput { get; init; }
}
