using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>One checkpoint in <c>incps status --json</c>. The property names are a stable, documented contract (docs/cli-json.md).</summary>
internal sealed class StatusJson
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("path")]
    public required string Path { get; init; }

    /// <summary>running, interrupted, completed, failed; or unreadable (with <see cref="Error"/>) in a listing.</summary>
    [JsonPropertyName("state")]
    public required string State { get; init; }

    [JsonPropertyName("completed")]
    public long? Completed { get; init; }

    [JsonPropertyName("failed")]
    public long? Failed { get; init; }

    [JsonPropertyName("inFlight")]
    public long? InFlight { get; init; }

    [JsonPropertyName("total")]
    public long? Total { get; init; }

    [JsonPropertyName("percentComplete")]
    public double? PercentComplete { get; init; }

    [JsonPropertyName("rate")]
    public double? Rate { get; init; }

    [JsonPropertyName("etaSeconds")]
    public double? EtaSeconds { get; init; }

    [JsonPropertyName("startedAt")]
    public DateTime? StartedAt { get; init; }

    [JsonPropertyName("updatedAt")]
    public DateTime? UpdatedAt { get; init; }

    [JsonPropertyName("owner")]
    public OwnerJson? Owner { get; init; }

    [JsonPropertyName("formatVersion")]
    public int? FormatVersion { get; init; }

    [JsonPropertyName("runs")]
    public int? Runs { get; init; }

    /// <summary>The live workers of a checkpoint in a PostgreSQL store; null for a checkpoint file (see <see cref="Owner"/>).</summary>
    [JsonPropertyName("workers")]
    public List<WorkerJson>? Workers { get; init; }

    [JsonPropertyName("error")]
    public string? Error { get; init; }
}
