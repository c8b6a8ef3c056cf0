using System;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>
/// Reads a checkpoint from outside the run that owns it: never takes its lock, never blocks the writer, never
/// changes the file, and ignores a half-written last record. Every failure is a <see cref="CheckpointException"/>.
/// </summary>
internal static class CheckpointInspector
{
    /// <summary>The checkpoint's state, counts, rate, ETA and owner.</summary>
    /// <exception cref="CheckpointNotFoundException">There is no checkpoint file.</exception>
    /// <exception cref="CheckpointCorruptException">The file is damaged before its last record.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint.</exception>
    /// <exception cref="CheckpointVersionException">The file's format is newer than this build reads.</exception>
    public static CheckpointStatus ReadStatus(CheckpointLocation location) => EngineBoundary.Call(location, () => StatusReader.Read(location));

    /// <summary>The per-key records, in the order they were written, optionally filtered by state and key.</summary>
    /// <exception cref="CheckpointNotFoundException">There is no checkpoint file.</exception>
    public static IReadOnlyList<CheckpointItem> ReadItems(CheckpointLocation location, ItemState? state = null, Func<string, bool>? keyFilter = null)
        => EngineBoundary.Call(location, () => ItemReader.Read(location, state, keyFilter));

    /// <summary>
    /// Throws unless <paramref name="hasher"/> (or none) fits the checkpoint: keys given by a user are hashed with it
    /// before they are looked up, and the wrong secret would find nothing, silently.
    /// </summary>
    /// <exception cref="CheckpointKeyHashException">The checkpoint is hashed and no or another secret was given, or it holds clear keys and a secret was given.</exception>
    public static void EnsureKeyHash(CheckpointLocation location, KeyHasher? hasher)
        => EngineBoundary.Call(location, () =>
        {
            using var stream = JournalLoader.OpenExisting(location.FilePath, bufferSize: 4096);
            KeyHashCheck.Verify(JournalScanner.ReadHeader(stream, location.FilePath).KeyHashCheck, hasher, location.FilePath);
        });

    /// <summary>True when a live process holds the checkpoint's lock.</summary>
    public static bool IsRunning(CheckpointLocation location) => EngineBoundary.Call(location, () => CheckpointLock.IsHeld(location));
}
