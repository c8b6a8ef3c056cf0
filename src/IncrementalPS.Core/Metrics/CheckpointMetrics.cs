using System;

namespace IncrementalPS.Core;

/// <summary>
/// What <see cref="PrometheusText"/> exposes of one checkpoint: its state as a gauge of the checkpoint, not as counts
/// of one run, so the metrics file a run writes and a server reading the store (<see cref="FromStatus"/>) say the same.
/// A null value is unknown and its sample is left out, never written as 0.
/// </summary>
internal sealed class CheckpointMetrics
{
    public CheckpointMetrics(
        string name, CheckpointState state, long completed, long failed, long inFlight, long? total, double? rate,
        TimeSpan? eta, DateTimeOffset? updatedAt)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        State = state;
        Completed = completed;
        Failed = failed;
        InFlight = inFlight;
        Total = total;
        Rate = rate;
        Eta = eta;
        UpdatedAt = updatedAt;
    }

    /// <summary>The metrics of a checkpoint as its status reads (a store, a server: any checkpoint, live or not).</summary>
    public static CheckpointMetrics FromStatus(CheckpointStatus status)
    {
        if (status is null)
        {
            throw new ArgumentNullException(nameof(status));
        }

        return new CheckpointMetrics(
            status.Name, status.State, status.Completed, status.Failed, status.InFlight, status.Total, status.Rate,
            status.Eta, status.UpdatedAt);
    }

    /// <summary>The checkpoint's name: the value of the <c>checkpoint</c> label.</summary>
    public string Name { get; }

    public CheckpointState State { get; }

    /// <summary>Keys completed in the checkpoint (in every run it has seen).</summary>
    public long Completed { get; }

    /// <summary>Keys failed in the checkpoint.</summary>
    public long Failed { get; }

    /// <summary>Keys started and not finished: running now, or left unfinished by a run that stopped.</summary>
    public long InFlight { get; }

    /// <summary>Items in the current or last run's input (given or estimated); null when unknown.</summary>
    public long? Total { get; }

    /// <summary>Items processed per second by the live run; null when none runs.</summary>
    public double? Rate { get; }

    /// <summary>Estimated time to finish the live run; null when unknown.</summary>
    public TimeSpan? Eta { get; }

    /// <summary>When the checkpoint last recorded anything; null when unknown.</summary>
    public DateTimeOffset? UpdatedAt { get; }
}
