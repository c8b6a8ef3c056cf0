namespace IncrementalPS.Bench.Harness;

/// <summary>
/// One peer at one size: run <paramref name="Repetitions"/> times (the median is reported), stopped after
/// <paramref name="MaxSeconds"/> when given, and the last run's checkpoint kept for loading when <paramref name="KeepFixture"/>.
/// </summary>
internal sealed record RunSpec(string Peer, int Items, int Repetitions, double? MaxSeconds = null, bool KeepFixture = false);
