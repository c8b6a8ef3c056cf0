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

    private CheckpointNotFoundException(string checkpoint, string message)
        : base(message, checkpoint)
    {
    }

    /// <summary>A shared checkpoint was removed (a forced reset) while this worker ran on it.</summary>
    internal static CheckpointNotFoundException RemovedWhileRunning(string checkpoint)
        => new(
            checkpoint,
            $"The checkpoint '{checkpoint}' was removed (Reset-Checkpoint -Force, 'incps reset --force' or a restart) while this " +
            "worker ran on it, so this worker stopped: nothing more is recorded in it. Run the command again to start over.");
}
