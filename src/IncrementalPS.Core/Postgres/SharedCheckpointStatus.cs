using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>A checkpoint in a PostgreSQL store as seen from any machine: counts, rate and ETA over all workers, and its live workers.</summary>
public sealed class SharedCheckpointStatus
{
    internal SharedCheckpointStatus(
        string name, string store, CheckpointState state, long completed, long failed, long inFlight, long? total, double? rate, TimeSpan? eta,
        DateTimeOffset? startedAt, DateTimeOffset? updatedAt, int runs, int schemaVersion, IReadOnlyList<SharedWorker> liveWorkers)
    {
        Name = name;
        Store = store;
        State = state;
        Completed = completed;
        Failed = failed;
        InFlight = inFlight;
        Total = total;
        Rate = rate;
        Eta = eta;
        StartedAt = startedAt;
        UpdatedAt = updatedAt;
        Runs = runs;
        SchemaVersion = schemaVersion;
        LiveWorkers = liveWorkers;
    }

    /// <summary>The checkpoint's name.</summary>
    public string Name { get; }

    /// <summary>The server, as postgres://user@host:port/database: never a password.</summary>
    public string Store { get; }

    /// <summary>Running while any worker is live; otherwise how it stopped.</summary>
    public CheckpointState State { get; }

    /// <summary>Completed keys.</summary>
    public long Completed { get; }

    /// <summary>Failed keys.</summary>
    public long Failed { get; }

    /// <summary>Items claimed by a worker now, or left unfinished.</summary>
    public long InFlight { get; }

    /// <summary>The input size, when a worker was given it or read its input to the end.</summary>
    public long? Total { get; }

    /// <summary>Completed plus failed as a percentage of <see cref="Total"/>.</summary>
    public double? PercentComplete => Total is long t && t > 0 ? Math.Min(100.0, 100.0 * (Completed + Failed) / t) : null;

    /// <summary>Items per second over all workers in the last minute, while any is live.</summary>
    public double? Rate { get; }

    /// <summary>Estimated time to finish, while workers are live and the total is known.</summary>
    public TimeSpan? Eta { get; }

    /// <summary>When the latest worker joined.</summary>
    public DateTimeOffset? StartedAt { get; }

    /// <summary>When the checkpoint last recorded anything (a result, a heartbeat, a worker's end).</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>How many workers (runs) the checkpoint has seen.</summary>
    public int Runs { get; }

    /// <summary>The version of the store's schema.</summary>
    public int SchemaVersion { get; }

    /// <summary>Workers whose heartbeat is within their lease.</summary>
    public IReadOnlyList<SharedWorker> LiveWorkers { get; }

    /// <summary>The checkpoint's name.</summary>
    public override string ToString() => Name;
}
