using System;

namespace IncrementalPS.Core;

/// <summary>In-run retries: how many attempts, and exponential backoff between them.</summary>
internal sealed class RetryPolicy
{
    public RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        MaxAttempts = maxAttempts;
        BaseDelay = baseDelay;
        MaxDelay = maxDelay;
    }

    public int MaxAttempts { get; }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>True when another attempt follows the <paramref name="failedAttemptInRun"/>th one.</summary>
    public bool ShouldRetry(int failedAttemptInRun) => failedAttemptInRun < MaxAttempts;

    /// <summary>The wait after the <paramref name="failedAttemptInRun"/>th failure: base, 2×base, 4×base, … capped.</summary>
    public TimeSpan DelayAfter(int failedAttemptInRun)
    {
        var factor = Math.Pow(2, Math.Min(failedAttemptInRun - 1, 30));
        var ticks = BaseDelay.Ticks * factor;
        return ticks >= MaxDelay.Ticks ? MaxDelay : TimeSpan.FromTicks((long)ticks);
    }
}
