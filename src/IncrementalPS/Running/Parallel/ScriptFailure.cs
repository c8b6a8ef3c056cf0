using System;
using System.Management.Automation;

namespace IncrementalPS.Running.Parallel;

/// <summary>The error as the script block raised it, from the record a catch block received.</summary>
internal static class ScriptFailure
{
    /// <summary>
    /// A cmdlet's terminating error arrives in CmdletInvocationExceptions (from the cmdlet, from ForEach-Object) whose
    /// message is the original's but whose records are PowerShell's copies; one around an exception without a record
    /// of its own holds the cmdlet's ErrorRecord, its id and category, and stands for the error. The same rule as
    /// the sequential runner's.
    /// </summary>
    public static (ErrorRecord? ErrorRecord, Exception Exception) Original(ErrorRecord caught)
    {
        var exception = caught.Exception;
        while (exception is CmdletInvocationException { InnerException: IContainsErrorRecord and Exception inner })
        {
            exception = inner;
        }

        return (exception is IContainsErrorRecord { ErrorRecord: { } record } ? record : null, exception);
    }
}
