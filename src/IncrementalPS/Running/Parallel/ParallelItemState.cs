using System;

namespace IncrementalPS.Running.Parallel;

/// <summary>What a parallel item's worker thread knows about it between the engine's calls.</summary>
internal sealed class ParallelItemState
{
    /// <summary>Waiting out -RetryDelay: it does not count against the throttle limit meanwhile.</summary>
    public bool Waiting { get; set; }

    /// <summary>The failure of its latest attempt, for the ItemFailed error.</summary>
    public Exception? Failure { get; set; }
}
