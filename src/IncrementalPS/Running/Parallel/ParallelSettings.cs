using System;

namespace IncrementalPS.Running.Parallel;

/// <summary>How a parallel run runs its items: -ThrottleLimit, -TimeoutSeconds and whether output is saved (-ReplayOutput).</summary>
internal sealed class ParallelSettings
{
    /// <summary>The longest -TimeoutSeconds: a wait takes at most int.MaxValue milliseconds (24 days 20 h).</summary>
    public const int MaxTimeoutSeconds = int.MaxValue / 1000;

    public ParallelSettings(int throttleLimit, TimeSpan? timeout, bool captureOutput)
    {
        ThrottleLimit = throttleLimit;
        Timeout = timeout;
        CaptureOutput = captureOutput;
    }

    public int ThrottleLimit { get; }

    public TimeSpan? Timeout { get; }

    public bool CaptureOutput { get; }
}
