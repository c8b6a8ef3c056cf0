using System;

namespace IncrementalPS.Core;

/// <summary>
/// The checkpoint (or a file beside it) may not be read or written by this user, or it is marked read-only. The file
/// was not changed.
/// </summary>
public sealed class CheckpointAccessException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointAccessException(string filePath, string message, Exception? innerException = null)
        : base(message, filePath, innerException)
    {
    }

    /// <summary>Access was denied by the operating system.</summary>
    internal static CheckpointAccessException Denied(string filePath, Exception innerException)
        => new(
            filePath,
            $"Access to the checkpoint '{filePath}' (or a file beside it) was denied: {innerException.Message} Nothing was changed. " +
            "Run as a user who may write the checkpoint's directory and file, or point -Path/--path elsewhere.",
            innerException);

    /// <summary>The file is read-only: a rewrite would replace what its owner protected.</summary>
    internal static CheckpointAccessException ReadOnly(string filePath, string why, string fix)
        => new(
            filePath,
            $"The checkpoint '{filePath}' is read-only ({why}), so it was not changed. To run or reset it, {fix}; " +
            "to read it, use Get-CheckpointStatus or 'incps status'.");
}
