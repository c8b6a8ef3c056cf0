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
            var inner = record.Exception ?? exception;
            var message = string.IsNullOrEmpty(record.ErrorDetails?.Message) ? inner.Message : record.ErrorDetails!.Message;
            return new ItemError(message, inner.GetType().FullName, record.CategoryInfo.Category.ToString());
        }

        return new ItemError(exception.Message, exception.GetType().FullName, ErrorCategory.NotSpecified.ToString());
    }
}
