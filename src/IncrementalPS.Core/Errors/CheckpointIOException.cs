using System;

namespace IncrementalPS.Core;

/// <summary>
/// Reading or writing the checkpoint failed in the operating system (a full disk, a failing device, a lost network
/// share). Whatever the run recorded before the failure is kept and is resumed by the next run.
/// </summary>
public sealed class CheckpointIOException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointIOException(string filePath, Exception innerException)
        : base(
            $"Reading or writing the checkpoint '{filePath}' failed: {innerException.Message} " +
            "Fix the cause (free disk space, check the device), then run again: what was recorded is kept and resumes.",
            filePath,
            innerException)
    {
    }
}
