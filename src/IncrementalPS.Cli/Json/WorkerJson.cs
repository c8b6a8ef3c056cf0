using System;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>A live worker of a checkpoint in a PostgreSQL store, in <c>incps status --json</c>.</summary>
internal sealed class WorkerJson
{
    [JsonPropertyName("run")]
    public required int Run { get; init; }

    [JsonPropertyName("hostName")]
    public required string HostName { get; init; }

    [JsonPropertyName("processId")]
    public required int ProcessId { get; init; }

    [JsonPropertyName("startedAt")]
    public required DateTime StartedAt { get; init; }

    [JsonPropertyName("heartbeatAt")]
    public required DateTime HeartbeatAt { get; init; }

    [JsonPropertyName("writer")]
    public string? Writer { get; init; }

    [JsonPropertyName("done")]
    public required long Done { get; init; }
}
