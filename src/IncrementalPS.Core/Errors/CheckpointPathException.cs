using System;

namespace IncrementalPS.Core;

/// <summary>
/// A checkpoint path cannot be used: it is a directory, its directory is a file, or it is not a valid path.
/// Nothing was changed.
/// </summary>
public sealed class CheckpointPathException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointPathException(string filePath, string reason, Exception? innerException = null)
        : base($"The checkpoint path '{filePath}' cannot be used: {reason}.", filePath, innerException)
    {
        Reason = reason;
    }

    /// <summary>What is wrong with the path, and what to do.</summary>
    public string Reason { get; }
}
