using System;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>A live worker of a checkpoint in a PostgreSQL store, on the status page.</summary>
internal sealed class WorkerJson
{
    [JsonPropertyName("run")]
    public required int Run { get; init; }

    [JsonPropertyName("hostName")]
    public required string HostName { get; init; }

    [JsonPropertyName("processId")]
    public required int ProcessId { get; init; }

    [JsonPropertyName("since")]
    public required DateTime Since { get; init; }

    [JsonPropertyName("lastHeartbeat")]
    public required DateTime LastHeartbeat { get; init; }

    /// <summary>Items it completed or failed that no worker touched since.</summary>
    [JsonPropertyName("done")]
    public required long Done { get; init; }
}
