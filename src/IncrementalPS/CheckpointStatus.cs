using System;
using IncrementalPS.Core;

namespace IncrementalPS;

/// <summary>A checkpoint as Get-CheckpointStatus reports it: state, counts, rate, ETA and the live run holding it.</summary>
public sealed class CheckpointStatus
{
    internal CheckpointStatus(Core.CheckpointStatus status)
    {
        Name = status.Name;
        Path = status.Path;
        State = status.State;
        Completed = status.Completed;
        Failed = status.Failed;
        InFlight = status.InFlight;
        Total = status.Total;
        PercentComplete = status.PercentComplete;
        Rate = status.Rate;
        ETA = status.Eta;
        StartedAt = status.StartedAt;
        UpdatedAt = status.UpdatedAt;
        Owner = status.Owner;
        Runs = status.Runs;
        FormatVersion = status.FormatVersion;
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

    /// <summary>Keys started and not finished (being processed, or left by a run that died).</summary>
    public long InFlight { get; }

    /// <summary>Items in the current or last run's input, when given or estimated.</summary>
    public long? Total { get; }

    /// <summary>Completed plus failed as a percentage of <see cref="Total"/>.</summary>
    public double? PercentComplete { get; }

    /// <summary>Items per second recently processed by the live run; null when no run is live.</summary>
    public double? Rate { get; }

    /// <summary>Estimated time to finish, for a live run with a known total.</summary>
    public TimeSpan? ETA { get; }

    /// <summary>When the current or last run started.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>When the checkpoint last recorded anything.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>The live run holding the checkpoint (process, host, start time); null when none does.</summary>
    public CheckpointOwner? Owner { get; }

    /// <summary>How many runs the checkpoint has seen.</summary>
    public int Runs { get; }

    /// <summary>The checkpoint file's format version.</summary>
    public int FormatVersion { get; }

    /// <inheritdoc />
    public override string ToString() => Name;
}
