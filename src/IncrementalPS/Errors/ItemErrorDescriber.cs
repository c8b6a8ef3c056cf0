using System;
using System.Management.Automation;
using IncrementalPS.Core;

namespace IncrementalPS.Errors;

/// <summary>
/// Turns what a script block threw into the error the checkpoint records: for PowerShell errors, the message and
/// category of the ErrorRecord (so a retry or a later ItemFailed record keeps the original category).
/// </summary>
internal static class ItemErrorDescriber
{
    public static ItemError Describe(Exception exception)
    {
        if (exception is IContainsErrorRecord { ErrorRecord: { } record })
        {
            var inner = record.Exception is null or ParentContainsErrorRecordException ? Holder(exception, record) : record.Exception;
            var message = string.IsNullOrEmpty(record.ErrorDetails?.Message) ? inner.Message : record.ErrorDetails!.Message;
            return new ItemError(message, inner.GetType().FullName, record.CategoryInfo.Category.ToString());
        }

        return new ItemError(exception.Message, exception.GetType().FullName, ErrorCategory.NotSpecified.ToString());
    }

    /// <summary>
    /// The exception whose own record <paramref name="record"/> is: a RuntimeException's record holds a
    /// ParentContainsErrorRecordException in place of it (1/0), and $_.Exception in a catch is that RuntimeException.
    /// The innermost holder wins: the runner's ScriptBlockFailedException carries the record of the error it wraps.
    /// </summary>
    private static Exception Holder(Exception exception, ErrorRecord record)
    {
        var holder = exception;
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is IContainsErrorRecord contains && ReferenceEquals(contains.ErrorRecord, record))
            {
                holder = e;
            }
        }

        return holder;
    }
}
