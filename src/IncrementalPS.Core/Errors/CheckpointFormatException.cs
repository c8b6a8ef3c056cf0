using System;

namespace IncrementalPS.Core;

/// <summary>
/// The file is not an IncrementalPS checkpoint at all (empty, another tool's JSON, random bytes).
/// The file was not changed.
/// </summary>
public sealed class CheckpointFormatException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointFormatException(string filePath, string reason, Exception? innerException = null)
        : base(
            $"The file '{filePath}' is not an IncrementalPS checkpoint: {reason}. The file was left unchanged. " +
            "Point -Path/--path at a checkpoint file, or move this file away.",
            filePath,
            innerException)
    {
        Reason = reason;
    }

    /// <summary>Why the file was not recognised.</summary>
    public string Reason { get; }
}
