using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>A checkpoint in PostgreSQL as seen from any machine: counts, rate and ETA over all workers, and its live workers.</summary>
internal sealed class SharedCheckpointStatus
{
    public SharedCheckpointStatus(
        string name, string store, long completed, long failed, long inFlight, long? total, double? rate, TimeSpan? eta, int runs,
        IReadOnlyList<SharedWorker> liveWorkers)
    {
        Name = name;
        Store = store;
        Completed = completed;
        Failed = failed;
        InFlight = inFlight;
        Total = total;
        Rate = rate;
        Eta = eta;
        Runs = runs;
        LiveWorkers = liveWorkers;
    }

    public string Name { get; }

    /// <summary>The server, without credentials.</summary>
    public string Store { get; }

    public long Completed { get; }

    public long Failed { get; }

    /// <summary>Items claimed by a worker now, or left unfinished.</summary>
    public long InFlight { get; }

    public long? Total { get; }

    /// <summary>Items per second over all workers in the last minute, while any is live.</summary>
    public double? Rate { get; }

    public TimeSpan? Eta { get; }

    public int Runs { get; }

    public IReadOnlyList<SharedWorker> LiveWorkers { get; }
}
