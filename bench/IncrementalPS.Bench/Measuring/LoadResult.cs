namespace IncrementalPS.Bench.Measuring;

/// <summary>What loading one checkpoint produced (a child process prints it as JSON).</summary>
internal sealed class LoadResult
{
    public string Kind { get; set; } = "";

    /// <summary>Completed items the load found.</summary>
    public long Completed { get; set; }

    public long FileBytes { get; set; }

    /// <summary>The first load in a fresh process: what a user starting a run waits for.</summary>
    public double ColdMs { get; set; }

    /// <summary>A second load in the same process (code already compiled).</summary>
    public double WarmMs { get; set; }

    /// <summary>Releasing what the load took: for engine-start the run's Finish, which compacts the checkpoint.</summary>
    public double ReleaseMs { get; set; }

    /// <summary>Managed heap held by the loaded state (after forced collections).</summary>
    public long RetainedBytes { get; set; }

    public long PeakWorkingSetBytes { get; set; }
}
