using System;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;
using System.Threading.Tasks;

namespace IncrementalPS.Core;

/// <summary>
/// A directory flush (<see cref="DirectorySync.Flush"/>) running on the thread pool, for a name whose survival of a power
/// failure may follow its creation by a moment: a new journal at <see cref="Durability.Normal"/>, which promises that
/// much of the last second anyway. Its disk wait then overlaps the run's first items instead of delaying them. A flush
/// still running when its owner gives up (a failed open) only flushes a directory; its failure is kept, never thrown
/// on the pool.
/// </summary>
internal sealed class BackgroundDirectorySync
{
    /// <summary>
    /// Tests only: the next flush started on this thread waits for this event before it flushes, so that a test
    /// decides when it ends (per thread, as <see cref="DirectorySync.FailNextOnThisThread"/>).
    /// </summary>
    [ThreadStatic]
    internal static ManualResetEventSlim? HoldNextOnThisThread;

    private static readonly bool s_windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    private readonly Task _flush;
    private ExceptionDispatchInfo? _failure;

    private BackgroundDirectorySync(string directory, string? fault, ManualResetEventSlim? hold)
    {
        // Windows has no directory flush (NTFS journals the rename): nothing to queue.
        _flush = s_windows && fault is null && hold is null
            ? Task.CompletedTask
            : Task.Run(() => Flush(directory, fault, hold));
    }

    /// <summary>
    /// Starts flushing <paramref name="directory"/>. A fault or a hold a test set for this thread's next flush is taken
    /// here and applied to the flush on the pool.
    /// </summary>
    public static BackgroundDirectorySync Start(string directory)
    {
        var fault = DirectorySync.FailNextOnThisThread;
        var hold = HoldNextOnThisThread;
        DirectorySync.FailNextOnThisThread = null;
        HoldNextOnThisThread = null;
        return new BackgroundDirectorySync(directory, fault, hold);
    }

    /// <summary>True once the flush ended, well or not: <see cref="Wait"/> then returns or throws at once.</summary>
    public bool IsFinished => _flush.IsCompleted;

    /// <summary>Waits for the flush to end, and throws what made it fail (a <see cref="DirectorySyncException"/>, usually).</summary>
    public void Wait()
    {
        _flush.Wait();
        _failure?.Throw();
    }

    /// <summary>Waits for the flush to end, whatever its outcome (<see cref="Wait"/> reports it).</summary>
    public void WaitQuietly() => _flush.Wait();

    private void Flush(string directory, string? fault, ManualResetEventSlim? hold)
    {
        try
        {
            hold?.Wait();
            DirectorySync.FailNextOnThisThread = fault;
            DirectorySync.Flush(directory);
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = null;
        }
    }
}
