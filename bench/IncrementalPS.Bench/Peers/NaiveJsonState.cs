using System.Collections.Generic;

namespace IncrementalPS.Bench.Peers;

/// <summary>The naive peer's whole state: the keys that completed, in order.</summary>
internal sealed class NaiveJsonState
{
    public List<string> Completed { get; } = new();
}
