using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>A checkpoint in PostgreSQL as seen from any machine: counts, rate and ETA over all workers, and its live workers.</summary>
internal sealed record SharedCheckpointStatus(
    string Name,
    string Store,
    long Completed,
    long Failed,
    long InFlight,
    long? Total,
    double? Rate,
    TimeSpan? Eta,
    int Runs,
    IReadOnlyList<SharedWorker> LiveWorkers);
