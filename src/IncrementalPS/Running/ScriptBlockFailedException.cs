using System;
using System.Management.Automation;

namespace IncrementalPS.Running;

/// <summary>
/// The -Process script block stopped with an error for one item: a throw, an error that terminates a statement
/// (1/0, a .NET method that throws, a cmdlet's terminating error) or an error turned terminating by -ErrorAction Stop.
/// Carries PowerShell's own ErrorRecord, so that the checkpoint records its message and category.
/// </summary>
internal sealed class ScriptBlockFailedException : Exception, IContainsErrorRecord
{
    public ScriptBlockFailedException(ErrorRecord errorRecord, Exception original)
        : base(original.Message, original)
    {
        ErrorRecord = errorRecord;
    }

    /// <summary>The error as PowerShell reported it, with its position in the script block.</summary>
    public ErrorRecord ErrorRecord { get; }

    /// <summary>
    /// The exception that stands for the error and carries its record where it has one: the thrown RuntimeException,
    /// or for a cmdlet's terminating error the CmdletInvocationException that holds the cmdlet's own ErrorRecord.
    /// </summary>
    public Exception Original => InnerException!;
}
