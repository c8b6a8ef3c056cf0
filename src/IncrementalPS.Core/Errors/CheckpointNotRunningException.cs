using System;

namespace IncrementalPS.Core;

/// <summary>An operation that steers a live run (suspending it) found no live run on the checkpoint.</summary>
public sealed class CheckpointNotRunningException : CheckpointException
{
    /// <summary>Creates the exception for the checkpoint <paramref name="name"/> at <paramref name="filePath"/>.</summary>
    public CheckpointNotRunningException(string name, string filePath)
        : base(
            $"Checkpoint '{name}' has no live run to suspend ('{filePath}'): nothing is processing it now. " +
            "A checkpoint that is not running needs no suspending; see where it stands with Get-CheckpointStatus or 'incps status'.",
            filePath)
    {
        Name = name;
    }

    /// <summary>The checkpoint's name.</summary>
    public string Name { get; }
}
