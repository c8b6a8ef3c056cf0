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

    private CheckpointFormatException(string filePath, string reason, string message)
        : base(message, filePath)
    {
        Reason = reason;
    }

    /// <summary>Why the file was not recognised.</summary>
    public string Reason { get; }

    /// <summary>
    /// A file of someone else's has the name of one of the files a checkpoint keeps beside itself (<paramref name="role"/>,
    /// such as "lock file"), which a run or a reset would rewrite or remove.
    /// </summary>
    internal static CheckpointFormatException ForSidecar(string sidecarPath, string role, string checkpointPath, string reason)
        => new(
            sidecarPath,
            reason,
            $"The file '{sidecarPath}' has the name of the {role} of the checkpoint '{checkpointPath}', but it is not one: {reason}. " +
            "It was left unchanged, and so was the checkpoint. Move that file away (or use another checkpoint name), then run again.");
}
