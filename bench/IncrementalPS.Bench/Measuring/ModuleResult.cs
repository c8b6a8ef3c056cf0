namespace IncrementalPS.Bench.Measuring;

/// <summary>The module's cost per item against ForEach-Object's (a child process prints it as JSON).</summary>
internal sealed class ModuleResult
{
    public int Items { get; set; }

    public string PowerShellVersion { get; set; } = "";

    /// <summary>Runs of each pipeline the medians are taken over.</summary>
    public int Repetitions { get; set; }

    /// <summary>$strings | ForEach-Object {}: the pipeline without checkpointing, median µs per item.</summary>
    public double ForEachObjectUs { get; set; }

    /// <summary>$strings | Invoke-Incremental x {}: each string is its own key.</summary>
    public double DefaultKeyUs { get; set; }

    /// <summary>$strings | Invoke-Incremental x -Key { $_ } {}: the key from a script block.</summary>
    public double ScriptKeyUs { get; set; }

    /// <summary>The same three in CPU time of the whole process (the pipeline, the garbage collector, the JIT) per item.</summary>
    public double ForEachObjectCpuUs { get; set; }

    public double DefaultKeyCpuUs { get; set; }

    public double ScriptKeyCpuUs { get; set; }

    public double DefaultKeyRatio => DefaultKeyUs / ForEachObjectUs;

    public double ScriptKeyRatio => ScriptKeyUs / ForEachObjectUs;

    public double DefaultKeyCpuRatio => DefaultKeyCpuUs / ForEachObjectCpuUs;

    public double ScriptKeyCpuRatio => ScriptKeyCpuUs / ForEachObjectCpuUs;
}
