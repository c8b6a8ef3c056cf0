using System;
using System.Globalization;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// How incps records a failed item (documented in docs/cli-json.md): type "ExitCode" with the code as category and
/// the tail of standard error in the message, or type "StartFailed" when the program could not be started.
/// </summary>
internal static class ItemErrors
{
    /// <summary>The error type of an item whose command exited with a code other than 0.</summary>
    public const string ExitCodeType = "ExitCode";

    /// <summary>The error type of an item whose command could not be started.</summary>
    public const string StartFailedType = "StartFailed";

    /// <summary>The error type of an item whose command ran past --timeout and was killed.</summary>
    public const string TimeoutType = "Timeout";

    /// <summary>Turns what the work delegate threw into the record kept with the failed item.</summary>
    public static ItemError Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            CommandFailedException { ExitCode: int code } => new ItemError(exception.Message, ExitCodeType, code.ToString(CultureInfo.InvariantCulture)),
            CommandFailedException => new ItemError(exception.Message, StartFailedType, null),
            CommandTimedOutException => new ItemError(exception.Message, TimeoutType, "OperationTimeout"),
            _ => ItemError.FromException(exception),
        };
    }
}
