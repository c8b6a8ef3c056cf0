using System;

namespace IncrementalPS.Core;

/// <summary>
/// Base type of every error the engine raises about a checkpoint. The message always names the file and says
/// what to do next; <see cref="FilePath"/> carries the file for front ends that want it as a target object.
/// </summary>
public abstract class CheckpointException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected CheckpointException(string message, string? filePath, Exception? innerException = null)
        : base(message, innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The checkpoint file concerned, when there is one.</summary>
    public string? FilePath { get; }
}
