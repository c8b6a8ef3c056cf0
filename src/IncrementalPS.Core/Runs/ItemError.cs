using System;

namespace IncrementalPS.Core;

/// <summary>What went wrong with an item: kept in the checkpoint with the failed record.</summary>
public sealed class ItemError
{
    /// <summary>Creates an error description.</summary>
    public ItemError(string message, string? type = null, string? category = null)
    {
        Message = message ?? string.Empty;
        Type = type;
        Category = category;
    }

    /// <summary>The error's message.</summary>
    public string Message { get; }

    /// <summary>The error's type, for example the exception's full type name.</summary>
    public string? Type { get; }

    /// <summary>A front end's category, for example a PowerShell ErrorCategory or "ExitCode".</summary>
    public string? Category { get; }

    /// <summary>Describes an exception: its message, its full type name, no category.</summary>
    public static ItemError FromException(Exception exception)
    {
        if (exception is null)
        {
            throw new ArgumentNullException(nameof(exception));
        }

        return new ItemError(exception.Message, exception.GetType().FullName, null);
    }

    /// <inheritdoc />
    public override string ToString() => Message;
}
