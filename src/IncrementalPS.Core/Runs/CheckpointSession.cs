using System;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// One run over a checkpoint: owns the checkpoint's lock from <see cref="Start"/> to <see cref="Dispose"/>,
/// decides per key whether to run or skip, runs the work with retries, and records every result before returning it.
/// </summary>
/// <remarks>
/// <see cref="Process"/> may be called from several threads at once (the CLI's --jobs); the work delegate runs on the
/// calling thread, and so do progress notifications, so a PowerShell front end calls everything from its pipeline thread.
/// Dispose without <see cref="Finish"/> leaves the checkpoint Interrupted, ready to resume.
/// </remarks>
public sealed partial class CheckpointSession : IDisposable
{
    /// <summary>
    /// Opens (or creates) the checkpoint at <paramref name="location"/> and takes its lock.
    /// A torn last record is dropped and the file repaired; nothing else on disk changes if this throws.
    /// </summary>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    /// <exception cref="CheckpointCorruptException">The file is damaged before its last record.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint.</exception>
    /// <exception cref="CheckpointVersionException">The file's format is newer than this build reads.</exception>
    public static CheckpointSession Start(CheckpointLocation location, RunOptions options, IProgress<RunProgress>? progress = null)
        => StartCore(location, options, progress);

    /// <summary>The checkpoint this run works on.</summary>
    public CheckpointLocation Location { get; }

    /// <summary>What the run found when it opened the checkpoint.</summary>
    public ResumeInfo Resume { get; }

    /// <summary>
    /// Handles one item: skips it when the checkpoint says so, otherwise records it in flight, calls
    /// <paramref name="work"/> (again, with exponential backoff, up to <see cref="RunOptions.MaxAttempts"/>), and records the
    /// result before returning. <paramref name="work"/> returns the item's serialized output to save, or null.
    /// An exception from <paramref name="work"/> is recorded as the item's failure, unless <paramref name="cancellationToken"/>
    /// is cancelled: then the item is left unfinished (it runs again on resume) and the exception propagates.
    /// </summary>
    public ItemOutcome Process(string key, Func<ItemAttempt, string?> work, CancellationToken cancellationToken = default)
        => ProcessCore(key, work, cancellationToken);

    /// <summary>The output saved with a completed item, or null when none was saved.</summary>
    public string? ReadSavedOutput(string key) => ReadSavedOutputCore(key);

    /// <summary>A progress snapshot now (the notifications are throttled; this is not).</summary>
    public RunProgress GetProgress() => GetProgressCore(isFinal: false);

    /// <summary>
    /// Ends the run normally: records the run's end, then removes the checkpoint when every item completed (unless
    /// <see cref="RunOptions.Keep"/>), otherwise compacts it and keeps it. Sends the final progress notification.
    /// </summary>
    public RunSummary Finish() => FinishCore();

    /// <summary>Releases the checkpoint. Without <see cref="Finish"/>, the run is recorded as interrupted and can be resumed.</summary>
    public void Dispose() => DisposeCore();
}
