using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// A directory flush (<see cref="DirectorySync.Flush"/>) that need not hold up its caller: a new journal's name at
/// <see cref="Durability.Normal"/>, which may lose the last second anyway. It is queued to the thread pool, and
/// whichever thread needs it first runs it if no other has started it: a pool kept busy by its caller delays nothing
/// that waits. A flush still running when its owner gives up (a failed open) only flushes a directory; its failure is
/// kept for <see cref="Wait"/>, never thrown on the pool.
/// </summary>
internal sealed class BackgroundDirectorySync
{
    /// <summary>
    /// Tests only: the next flush started on this thread waits for this event before it flushes, so that a test
    /// decides when it ends (per thread, as <see cref="DirectorySync.FailNextOnThisThread"/>).
    /// </summary>
    [ThreadStatic]
    internal static ManualResetEventSlim? HoldNextOnThisThread;

    // A hold a test forgot to release fails the flush instead of hanging the test run.
    private static readonly TimeSpan s_longestHold = TimeSpan.FromSeconds(60);
    private static readonly bool s_windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    private readonly string _directory;
    private readonly string? _fault;
    private readonly ManualResetEventSlim? _hold;
    private readonly object _gate = new();
    private int _started;
    private bool _finished;
    private ExceptionDispatchInfo? _failure;

    private BackgroundDirectorySync(string directory, string? fault, ManualResetEventSlim? hold)
    {
        _directory = directory;
        _fault = fault;
        _hold = hold;
    }

    /// <summary>
    /// Starts flushing <paramref name="directory"/>. A fault or a hold a test set for this thread's next flush is taken
    /// here and applied to this flush, on whichever thread runs it.
    /// </summary>
    public static BackgroundDirectorySync Start(string directory)
    {
        var sync = new BackgroundDirectorySync(directory, DirectorySync.FailNextOnThisThread, HoldNextOnThisThread);
        DirectorySync.FailNextOnThisThread = null;
        HoldNextOnThisThread = null;
        if (s_windows && sync._fault is null && sync._hold is null)
        {
            // Windows has no directory flush (NTFS journals the rename): nothing to queue.
            sync._started = 1;
            sync._finished = true;
        }
        else
        {
            // The pool's shared queue, not this thread's own: a caller that keeps this thread busy (a test host or
            // script running on a pool thread) does not keep the flush waiting for another thread to steal it.
            ThreadPool.QueueUserWorkItem(static state => ((BackgroundDirectorySync)state!).RunUnlessStarted(), sync);
        }

        return sync;
    }

    /// <summary>True once the flush ended, well or not: <see cref="Wait"/> then returns or throws at once.</summary>
    public bool IsFinished => Volatile.Read(ref _finished);

    /// <summary>Runs the flush on this thread, unless a thread has started it already.</summary>
    public void RunUnlessStarted()
    {
        if (Interlocked.CompareExchange(ref _started, 1, 0) != 0)
        {
            return;
        }

        // This thread's own test fault, if any, is for a later flush of its own: kept aside, then put back.
        var ownFault = DirectorySync.FailNextOnThisThread;
        try
        {
            if (_hold is not null && !_hold.Wait(s_longestHold))
            {
                throw new IOException("A test held the directory flush and never released it.");
            }

            DirectorySync.FailNextOnThisThread = _fault;
            DirectorySync.Flush(_directory);
        }
        catch (Exception ex)
        {
            _failure = ExceptionDispatchInfo.Capture(ex);
        }
        finally
        {
            DirectorySync.FailNextOnThisThread = ownFault;
            lock (_gate)
            {
                Volatile.Write(ref _finished, true);
                Monitor.PulseAll(_gate);
            }
        }
    }

    /// <summary>Waits for the flush to end (running it here if no thread has started it), and throws what made it fail.</summary>
    public void Wait()
    {
        WaitQuietly();
        _failure?.Throw();
    }

    /// <summary>Waits for the flush to end (running it here if no thread has started it), whatever its outcome.</summary>
    public void WaitQuietly()
    {
        RunUnlessStarted();
        lock (_gate)
        {
            while (!_finished)
            {
                Monitor.Wait(_gate);
            }
        }
    }
}
