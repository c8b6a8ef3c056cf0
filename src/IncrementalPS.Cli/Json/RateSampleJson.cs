using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>A sample of a checkpoint taken by <c>incps serve</c>: when, its rate then, and how many items were done.</summary>
internal sealed class RateSampleJson
{
    /// <summary>Unix time in milliseconds.</summary>
    [JsonPropertyName("t")]
    public required long Time { get; init; }

    /// <summary>Items per second; 0 while no run is live.</summary>
    [JsonPropertyName("rate")]
    public required double Rate { get; init; }

    /// <summary>Completed plus failed.</summary>
    [JsonPropertyName("done")]
    public required long Done { get; init; }
}
