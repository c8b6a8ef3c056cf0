namespace IncrementalPS.Bench.Harness;

/// <summary>Loading the checkpoint a peer left after <paramref name="Items"/> items, <paramref name="Repetitions"/> times.</summary>
internal sealed record LoadSpec(string Kind, int Items, int Repetitions);
