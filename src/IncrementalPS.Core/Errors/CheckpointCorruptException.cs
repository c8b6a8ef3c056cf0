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

    private CheckpointCorruptException(string message, string filePath, string reason)
        : base(message, filePath, null)
    {
        Reason = reason;
    }

    /// <summary>The 1-based line on which the damage was found; 0 when it was found by byte offset instead.</summary>
    public long LineNumber { get; }

    /// <summary>What is wrong with that line.</summary>
    public string Reason { get; }

    /// <summary>
    /// The checkpoint is missing and <paramref name="rewrite"/>, a rewrite of it holding records, was never put in its
    /// place: it may be the only copy. Neither is touched; the user decides.
    /// </summary>
    internal static CheckpointCorruptException OrphanedRewrite(string filePath, string rewrite, long records)
        => new(
            $"The checkpoint file '{filePath}' is missing, but '{rewrite}' holds a rewrite of it with {records} record(s) that was " +
            "never put in its place (a compaction or reset that failed at its last step, or the checkpoint removed by something else). " +
            $"Nothing was changed. To resume from it, rename it to '{System.IO.Path.GetFileName(filePath)}'; to start over, delete it.",
            filePath,
            $"missing, with a rewrite of it left in '{rewrite}'");
}
