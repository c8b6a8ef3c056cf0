using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Errors;

/// <summary>
/// Keeps one error per failed item in $Error and -ErrorVariable. When the -Process script block fails, PowerShell
/// adds the original error to both as it unwinds ForEach-Object, before the runner's try catches it; the item's one
/// error is the ItemFailed record written after it, which carries the original as its inner exception.
/// </summary>
internal static class ErrorHistory
{
    private const string ErrorVariableParameter = "ErrorVariable";

    /// <summary>
    /// Removes what PowerShell added for the failed attempt: records of <paramref name="caught"/>'s exception or of any
    /// exception wrapped in it (ForEach-Object adds the original error and its CmdletInvocationException wrapper).
    /// </summary>
    public static void Forget(PSCmdlet cmdlet, ErrorRecord caught)
    {
        var chain = new HashSet<Exception>();
        for (var exception = caught.Exception; exception is not null; exception = exception.InnerException)
        {
            chain.Add(exception);
        }

        RemoveFrom(cmdlet.SessionState.PSVariable.GetValue("global:Error") as IList, caught, chain);
        if (cmdlet.MyInvocation.BoundParameters.TryGetValue(ErrorVariableParameter, out var name) && name is string variable)
        {
            RemoveFrom(cmdlet.SessionState.PSVariable.GetValue(variable.TrimStart('+')) as IList, caught, chain);
        }
    }

    private static void RemoveFrom(IList? errors, ErrorRecord caught, HashSet<Exception> chain)
    {
        if (errors is null || errors.IsReadOnly || errors.IsFixedSize)
        {
            return;
        }

        for (var i = errors.Count - 1; i >= 0; i--)
        {
            var entry = errors[i] is PSObject wrapped ? wrapped.BaseObject : errors[i];
            var matches = entry switch
            {
                ErrorRecord record => ReferenceEquals(record, caught) || (record.Exception is not null && chain.Contains(record.Exception)),
                Exception exception => chain.Contains(exception),
                _ => false,
            };
            if (matches)
            {
                errors.RemoveAt(i);
            }
        }
    }
}
