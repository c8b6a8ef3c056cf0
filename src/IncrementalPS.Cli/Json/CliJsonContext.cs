using System.Collections.Generic;
using System.Text.Json.Serialization;

namespace IncrementalPS.Cli;

/// <summary>Source-generated serializers for the --json output (no reflection, trimming-safe).</summary>
[JsonSourceGenerationOptions(WriteIndented = true, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(StatusJson))]
[JsonSerializable(typeof(List<StatusJson>))]
[JsonSerializable(typeof(List<ItemJson>))]
[JsonSerializable(typeof(DashboardJson))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
