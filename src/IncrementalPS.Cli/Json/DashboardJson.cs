using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>What the status page of <c>incps serve</c> polls (<c>/api/dashboard</c>): every checkpoint with its recent history and failed items.</summary>
internal sealed class DashboardJson
{
    /// <summary>When the server last read the store.</summary>
    [JsonPropertyName("readAt")]
    public required DateTime ReadAt { get; init; }

    /// <summary>The store: a directory, or a PostgreSQL server without credentials.</summary>
    [JsonPropertyName("store")]
    public required string Store { get; init; }

    /// <summary>Why the store itself could not be read this time; null when it could.</summary>
    [JsonPropertyName("error")]
    public string? Error { get; init; }

    [JsonPropertyName("checkpoints")]
    public required List<CheckpointViewJson> Checkpoints { get; init; }
}
