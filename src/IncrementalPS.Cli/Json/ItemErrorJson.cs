using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>A failed item's last error in <c>incps items --json</c>.</summary>
internal sealed class ItemErrorJson
{
    [JsonPropertyName("message")]
    public required string Message { get; init; }

    /// <summary>"ExitCode" or "StartFailed" for items incps ran; an exception type for items the cmdlets ran.</summary>
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    /// <summary>The exit code (as text) for type "ExitCode"; a PowerShell error category for items the cmdlets ran.</summary>
    [JsonPropertyName("category")]
    public string? Category { get; init; }
}
