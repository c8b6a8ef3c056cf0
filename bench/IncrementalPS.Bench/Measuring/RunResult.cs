namespace IncrementalPS.Bench.Measuring;

/// <summary>What one measured run of one peer produced (a child process prints it as JSON).</summary>
internal sealed class RunResult
{
    public string Peer { get; set; } = "";

    /// <summary>Items asked for.</summary>
    public int Items { get; set; }

    /// <summary>Items run: fewer than <see cref="Items"/> when the run was time-boxed.</summary>
    public int Done { get; set; }

    public double OpenMs { get; set; }

    public double LoopMs { get; set; }

    /// <summary>Ending the run (the engine's Finish, which compacts the checkpoint).</summary>
    public double CloseMs { get; set; }

    /// <summary>Mean cost per item over the first tenth of the items run.</summary>
    public double FirstTenthUs { get; set; }

    /// <summary>Mean cost per item over the last tenth of the items run.</summary>
    public double LastTenthUs { get; set; }

    /// <summary>The longest a single item took: shows stalls that an average hides.</summary>
    public double SlowestItemMs { get; set; }

    /// <summary>write()-family system calls during the items (null where the OS does not count them).</summary>
    public long? WriteCalls { get; set; }

    public long AllocatedBytes { get; set; }

    /// <summary>Managed heap held after the items, over what was held before Open (after forced collections).</summary>
    public long RetainedBytes { get; set; }

    public long PeakWorkingSetBytes { get; set; }

    /// <summary>False when the peak could not be reset after the warm-up, so it includes the warm-up.</summary>
    public bool PeakIsRunOnly { get; set; }

    /// <summary>Bytes on disk after the items, before Close.</summary>
    public long BytesBeforeClose { get; set; }

    /// <summary>Bytes on disk after Close.</summary>
    public long BytesAfterClose { get; set; }

    public double TotalMs => OpenMs + LoopMs + CloseMs;

    public double UsPerItem => TotalMs * 1000 / Done;

    public double ItemsPerSecond => Done / (TotalMs / 1000);

    public bool TimeBoxed => Done < Items;
}
