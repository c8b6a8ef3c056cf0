using System;

namespace IncrementalPS.Core;

/// <summary>No checkpoint exists at the given name or path.</summary>
public sealed class CheckpointNotFoundException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointNotFoundException(string filePath, Exception? innerException = null)
        : base(
            $"No checkpoint exists at '{filePath}'. List the checkpoints with Get-CheckpointStatus or 'incps status'.",
            filePath,
            innerException)
    {
    }
}
