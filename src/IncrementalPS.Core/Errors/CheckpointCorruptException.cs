using System;

namespace IncrementalPS.Core;

/// <summary>
/// The checkpoint file is damaged somewhere other than its last record (a torn last record is repaired silently).
/// The file was not changed and will not be written to.
/// </summary>
public sealed class CheckpointCorruptException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointCorruptException(string filePath, long lineNumber, string reason, Exception? innerException = null)
        : base(
            // Line 0: damage found by byte offset (the reason says where), not by line.
            $"The checkpoint file '{filePath}' is damaged{(lineNumber > 0 ? $" at line {lineNumber}" : string.Empty)}: " +
            $"{reason.TrimEnd('.')}. The file was left unchanged. " +
            "Inspect or repair it by hand, or remove the checkpoint ('Reset-Checkpoint <name> -Force', or 'incps reset <name> --force') to start over.",
            filePath,
            innerException)
    {
        LineNumber = lineNumber;
        Reason = reason;
    }

    /// <summary>The 1-based line on which the damage was found; 0 when it was found by byte offset instead.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong with that line.</summary>
    public string Reason { get; }
}
