using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// A rewrite whose last step failed after the checkpoint itself was gone leaves its temporary file as the only copy
/// (<see cref="AtomicFile.Commit"/> never deletes it then). A run that found no checkpoint would start over from the
/// first item, and the run after it, beside a checkpoint again, would remove that file as a stale leftover: the work
/// it recorded would be lost twice. So a missing checkpoint with such a file beside it is refused until the user
/// either renames the file into place or deletes it.
/// </summary>
internal static class OrphanedRewrite
{
    /// <exception cref="CheckpointCorruptException">A rewrite of the missing checkpoint holds records.</exception>
    public static void ThrowIfOnlyCopy(CheckpointLocation location)
    {
        foreach (var rewrite in TempFileName.Find(location.FilePath))
        {
            long records;
            try
            {
                records = JournalLoader.Load(rewrite).Scan.RecordCount;
            }
            catch (CheckpointException)
            {
                // Not a whole checkpoint (a rewrite killed before its header was written): nothing to resume from.
                continue;
            }

            if (records > 0)
            {
                throw CheckpointCorruptException.OrphanedRewrite(location.FilePath, rewrite, records);
            }
        }
    }
}
