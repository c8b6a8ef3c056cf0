using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// The one check every destructive path makes before deleting a file it was pointed at: the file must be a checkpoint.
/// A user who types the wrong -Path, or pipes a folder's files into a reset, must lose nothing.
/// </summary>
internal static class CheckpointFileCheck
{
    /// <summary>
    /// Throws unless the file's first line is an IncrementalPS checkpoint header, of this or a newer format version.
    /// A checkpoint whose header says it is ours but is damaged counts as one: removing it is the way out of a corrupt
    /// file. Reads the header only, so a checkpoint with a damaged body passes too.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint (and was not changed).</exception>
    public static void EnsureIsCheckpoint(string filePath)
    {
        using var stream = new FileStream(filePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            JournalScanner.ReadHeader(stream, filePath);
        }
        catch (CheckpointVersionException)
        {
            // Newer than this build reads, but ours: its owner may remove it.
        }
        catch (CheckpointCorruptException)
        {
            // Raised only once the header has named our format (JournalScanner.ParseHeader): a damaged checkpoint.
        }
    }

    /// <summary>
    /// Throws unless a reset or a restart may delete the file: it is a checkpoint (<see cref="EnsureIsCheckpoint"/>), and
    /// its owner has not made it read-only, which is how a user protects a checkpoint from runs and resets alike.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint (and was not changed).</exception>
    /// <exception cref="CheckpointAccessException">The file is read-only or not writable by this user.</exception>
    public static void EnsureRemovable(string filePath)
    {
        EnsureIsCheckpoint(filePath);
        FileOwnership.EnsureWritable(filePath);
    }
}
