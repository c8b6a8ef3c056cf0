using System;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>The live run holding a checkpoint, in <c>incps status --json</c>.</summary>
internal sealed class OwnerJson
{
    [JsonPropertyName("processId")]
    public required int ProcessId { get; init; }

    [JsonPropertyName("hostName")]
    public required string HostName { get; init; }

    [JsonPropertyName("startedAt")]
    public required DateTime StartedAt { get; init; }

    [JsonPropertyName("writer")]
    public string? Writer { get; init; }
}
