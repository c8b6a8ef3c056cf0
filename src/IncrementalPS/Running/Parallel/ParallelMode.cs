using System;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Running.Parallel;

/// <summary>Decides from Invoke-Incremental's parameters whether items run in runspaces, and sets that run up.</summary>
internal static class ParallelMode
{
    /// <summary>
    /// A parallel run for -ThrottleLimit 2 or more; also, one item at a time, for -TimeoutSeconds (an item can be
    /// stopped on time only in a runspace of its own) and for a block with a $using: of its own (in the caller's scope it would
    /// fail every item, so a script written for -ThrottleLimit 16 keeps working at 1). Null for the sequential mode.
    /// </summary>
    /// <exception cref="ArgumentException">A $using: expression cannot be read.</exception>
    public static ParallelRun? Create(
        PSCmdlet cmdlet,
        ScriptBlock process,
        int throttleLimit,
        int timeoutSeconds,
        bool captureOutput,
        string checkpointName,
        Action<ItemOutcome, PSObject?, Exception?> report,
        Action<PSObject?, ArgumentException> keyRefused,
        CancellationToken stopping)
    {
        if (throttleLimit <= 1 && timeoutSeconds <= 0 && !UsingValues.Appear(process))
        {
            return null;
        }

        var timeout = timeoutSeconds > 0 ? TimeSpan.FromSeconds(timeoutSeconds) : (TimeSpan?)null;
        var settings = new ParallelSettings(Math.Max(1, throttleLimit), timeout, captureOutput);
        return new ParallelRun(cmdlet, process, settings, checkpointName, report, keyRefused, stopping);
    }
}
