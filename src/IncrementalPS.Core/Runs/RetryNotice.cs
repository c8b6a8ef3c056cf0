using System;

namespace IncrementalPS.Core;

/// <summary>Told to <see cref="RunOptions.OnRetry"/> when an attempt failed and the item will be tried again.</summary>
internal sealed class RetryNotice
{
    internal RetryNotice(string key, int failedAttemptInRun, int maxAttempts, TimeSpan delay, ItemError error)
    {
        Key = key;
        FailedAttemptInRun = failedAttemptInRun;
        MaxAttempts = maxAttempts;
        Delay = delay;
        Error = error;
    }

    /// <summary>The item's key.</summary>
    public string Key { get; }

    /// <summary>The attempt (within this run) that just failed.</summary>
    public int FailedAttemptInRun { get; }

    /// <summary>The most attempts this run makes on the item.</summary>
    public int MaxAttempts { get; }

    /// <summary>How long the run waits before the next attempt.</summary>
    public TimeSpan Delay { get; }

    /// <summary>Why the attempt failed.</summary>
    public ItemError Error { get; }
}
