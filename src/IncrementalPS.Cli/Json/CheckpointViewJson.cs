using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>One checkpoint on the status page: its <c>status --json</c> row, its rate over time and its failed items.</summary>
internal sealed class CheckpointViewJson
{
    [JsonPropertyName("status")]
    public required StatusJson Status { get; init; }

    /// <summary>The server's recent samples of this checkpoint, oldest first (a bounded ring).</summary>
    [JsonPropertyName("history")]
    public required List<RateSampleJson> History { get; init; }

    /// <summary>The most recently recorded failed items, at most a page's worth; <see cref="Status"/> has the count.</summary>
    [JsonPropertyName("failedItems")]
    public required List<ItemJson> FailedItems { get; init; }
}
