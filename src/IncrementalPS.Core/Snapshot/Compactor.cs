using System;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// Rewrites a checkpoint as its live state only: the header, the latest run-ended and run-started records (and the
/// latest run-ended of a run that saw the end of its input, when a stopped run ended since), and the
/// latest record of each key, in their original order. Records are copied byte for byte (errors and saved output come
/// along without being held in memory); keys known to be unfinished are written as item-interrupted records.
/// The new file replaces the old one atomically and durably, in the current format version (an older file is upgraded).
/// Cost: one sequential pass over the old file. For a file nobody appends to meanwhile; a live run compacts with
/// <see cref="BackgroundCompaction"/>.
/// </summary>
internal static class Compactor
{
    /// <summary>Compacts <paramref name="path"/>, updating the offsets in <paramref name="keys"/> and <paramref name="runs"/>. Returns the new length and record count.</summary>
    /// <remarks><paramref name="rewrite"/> turns each kept record line (current version, without its newline) into the line to write; null copies it as it is.</remarks>
    public static (long Length, long Records) Compact(string path, KeyTable keys, RunHistory runs, Func<byte[], byte[]>? rewrite = null)
    {
        string temp;
        long length = 0;
        CompactionPlan plan;
        using (var source = JournalLoader.OpenShared(path, bufferSize: 1 << 16))
        {
            plan = CompactionPlan.Take(keys, runs, source.Length);
            temp = AtomicFile.WriteTemp(path, target => length = plan.CopyPrefix(source, target, path, rewrite), durable: true);
        }

        CompactionRemap remap;
        try
        {
            remap = plan.Remap(keys, runs, length);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }

        AtomicFile.Commit(temp, path, durable: true);
        remap.Apply(keys, runs);
        return (length, plan.Records);
    }
}
