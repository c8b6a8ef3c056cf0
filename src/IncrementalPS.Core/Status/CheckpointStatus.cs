using System;

namespace IncrementalPS.Core;

/// <summary>A checkpoint as seen from outside, even while a run is live. Returned by <see cref="CheckpointInspector.ReadStatus"/>.</summary>
public sealed class CheckpointStatus
{
    internal CheckpointStatus(
        string name, string path, CheckpointState state, long completed, long failed, long inFlight, long? total,
        double? rate, TimeSpan? eta, DateTimeOffset? startedAt, DateTimeOffset? updatedAt, CheckpointOwner? owner,
        int formatVersion, int runs)
    {
        Name = name;
        Path = path;
        State = state;
        Completed = completed;
        Failed = failed;
        InFlight = inFlight;
        Total = total;
        Rate = rate;
        Eta = eta;
        StartedAt = startedAt;
        UpdatedAt = updatedAt;
        Owner = owner;
        FormatVersion = formatVersion;
        Runs = runs;
    }

    /// <summary>The checkpoint's name.</summary>
    public string Name { get; }

    /// <summary>The checkpoint file.</summary>
    public string Path { get; }

    /// <summary>Running, Interrupted, Completed or Failed.</summary>
    public CheckpointState State { get; }

    /// <summary>Completed keys.</summary>
    public long Completed { get; }

    /// <summary>Failed keys.</summary>
    public long Failed { get; }

    /// <summary>Keys started and not finished.</summary>
    public long InFlight { get; }

    /// <summary>Items in the current or last run's input, when given or estimated.</summary>
    public long? Total { get; }

    /// <summary>Completed plus failed as a percentage of <see cref="Total"/>.</summary>
    public double? PercentComplete => Total is long t && t > 0 ? Math.Min(100.0, 100.0 * (Completed + Failed) / t) : null;

    /// <summary>Items processed per second recently by the live run; null when not running.</summary>
    public double? Rate { get; }

    /// <summary>Estimated time to finish, for a live run with a known total.</summary>
    public TimeSpan? Eta { get; }

    /// <summary>When the current or last run started.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>When the checkpoint last recorded anything.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>The live run holding the checkpoint; null when none does.</summary>
    public CheckpointOwner? Owner { get; }

    /// <summary>The file's format version.</summary>
    public int FormatVersion { get; }

    /// <summary>How many runs the checkpoint has seen.</summary>
    public int Runs { get; }

    /// <summary>The checkpoint's name.</summary>
    public override string ToString() => Name;
}
