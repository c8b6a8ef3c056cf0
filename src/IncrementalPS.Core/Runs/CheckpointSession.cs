using System;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// One run over a checkpoint: decides per key whether to run or skip, runs the work with retries, and has every result
/// recorded before returning it. Where and how results are kept is the store's business (<see cref="IRunStore"/>);
/// this class is the run logic: skip, retry, poison, progress, and the run's lifecycle.
/// </summary>
/// <remarks>
/// <see cref="Process"/> may be called from several threads at once (the CLI's --jobs); the work delegate runs on the
/// calling thread, and so do progress notifications, so a PowerShell front end calls everything from its pipeline thread.
/// Dispose without <see cref="Finish"/> leaves the checkpoint Interrupted, ready to resume. Call Finish or Dispose
/// once every Process call has returned (a front end with worker threads joins them first); an item still in flight
/// then is recorded as interrupted, and its late result cannot be recorded.
/// </remarks>
internal sealed partial class CheckpointSession : IDisposable
{
    private readonly object _gate = new();
    private readonly RunOptions _options;
    private readonly IRunStore _store;
    private readonly RetryPolicy _retry;
    private readonly ProgressTracker _progress;
    private readonly RecordClock _recordClock;
    private readonly Func<Exception, ItemError> _describeError;
    private readonly Timer? _progressFileTimer;
    private static readonly TimeSpan s_peekPatience = TimeSpan.FromMilliseconds(20);
    private RunProgress _peeked;
    private readonly MetricsFile? _metricsFile;
    private readonly int _run;
    private bool _finished;
    private bool _closed;
    private bool _keepAtFinish;

    private CheckpointSession(CheckpointLocation location, IRunStore store, RunOptions options, IProgress<RunProgress>? progress)
    {
        Location = location;
        _store = store;
        _options = options;
        _retry = new RetryPolicy(options.MaxAttempts, options.RetryDelay, options.MaxRetryDelay);
        _describeError = options.DescribeError ?? ItemError.FromException;

        var opening = store.Opening;
        _run = opening.Run;

        // Only a given total or the count of a run that saw the end of its input says how large the input is; the keys
        // seen so far by runs that were stopped say nothing about what they did not reach, and a -Keep ledger's keys
        // are every input it ever had, not the next one.
        var estimate = options.TotalCount is null ? opening.PreviousTotal : null;

        Resume = new ResumeInfo(
            _run, opening.IsResume, opening.PreviousState, store.Completed, store.Failed, store.InFlight,
            opening.RepairedTornRecord, opening.PreviousFingerprint,
            opening.PreviousFingerprint is not null && options.Fingerprint is not null && opening.PreviousFingerprint != options.Fingerprint,
            estimate);
        _progress = new ProgressTracker(location.Name, progress, options.ProgressInterval, options.TotalCount ?? estimate, options.TotalCount is null && estimate is not null);
        _recordClock = new RecordClock(options.Clock);

        if (options.MetricsFile is not null)
        {
            _metricsFile = new MetricsFile(options.MetricsFile);
            WriteMetricsFile(CheckpointState.Running);
        }

        if (options.ProgressFile is not null || _metricsFile is not null)
        {
            _progressFileTimer = new Timer(_ => ProgressFileTick(), null, options.ProgressFileInterval, options.ProgressFileInterval);
        }

        _peeked = _progress.Snapshot(isFinal: false, CheckpointState.Running);
        WatchForSuspend();
    }

    /// <summary>
    /// Opens (or creates) the checkpoint at <paramref name="location"/> and takes its lock.
    /// A torn last record is dropped and the file repaired; nothing else on disk changes if this throws.
    /// </summary>
    /// <exception cref="CheckpointLockedException">A live run holds the checkpoint.</exception>
    /// <exception cref="CheckpointCorruptException">The file is damaged before its last record.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint.</exception>
    /// <exception cref="CheckpointVersionException">The file's format is newer than this build reads.</exception>
    private static CheckpointSession StartCore(CheckpointLocation location, RunOptions options, IProgress<RunProgress>? progress)
    {
        if (location is null)
        {
            throw new ArgumentNullException(nameof(location));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        if (options.ProgressFile is not null)
        {
            // A bad progress file folder is a setup problem: fail before the checkpoint is touched.
            ProgressFileWriter.Start(options.ProgressFile, RunProgress.Starting(location.Name, options.TotalCount), DateTime.UtcNow);
        }

        MetricsFile.CheckIfGiven(options.MetricsFile);
        return Start(location, FileRunStore.Open(location, options), options, progress);
    }

    /// <summary>Starts a run over a store that holds the checkpoint already; the run owns the store from here on.</summary>
    internal static CheckpointSession Start(CheckpointLocation location, IRunStore store, RunOptions options, IProgress<RunProgress>? progress = null)
    {
        try
        {
            if (options.KeyHash is { } hasher)
            {
                store = new HashedKeyStore(store, hasher);
            }

            return new CheckpointSession(location, store, options, progress);
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>Fsyncs made for item results so far by the current journal handle (tests of group commit).</summary>
    internal long DiskFlushes => (_store as FileRunStore)?.DiskFlushes ?? 0;

    /// <summary>Waits for a mid-run compaction under way and swaps its file in now (tests: the swap otherwise waits for the next result).</summary>
    internal void SettleCompaction()
    {
        lock (_gate)
        {
            (_store as FileRunStore)?.SettleCompaction();
        }
    }

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
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private ItemOutcome ProcessCore(string key, Func<ItemAttempt, string?> work, CancellationToken cancellationToken, StrongBox<CommitPoint>? deferred = null)
    {
        if (RefusalOf(key) is { } refusal)
        {
            throw new ItemKeyRefusedException(refusal, nameof(key));
        }

        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        ItemClaim claim;
        int deaths;
        lock (_gate)
        {
            ThrowIfUnusable();
            _progress.NoteSeen(key);
            if (TrySkip(key, out var skipped, out var entry))
            {
                _progress.MaybeReport();
                return skipped;
            }

            if (_suspending.IsCancellationRequested)
            {
                return Defer(key, entry);
            }

            deaths = entry.Status == KeyStatus.Interrupted ? entry.Deaths : 0;

            // Claimed under the same lock as the decision, so a second thread with the same key skips it.
            if (!_store.TryClaim(key, entry.Attempts + 1, deaths, out claim))
            {
                // Another worker sharing the store holds or finished the item: it is not this run's to run now. One it
                // holds is remembered, to be taken over at the end of the input if that worker dies (ProcessHeld),
                // which reports its outcome then: once, not here too.
                var declined = DeclinedOutcome(key, entry.Attempts);
                if (declined.Kind == ItemOutcomeKind.SkippedDuplicate && RememberIfHeld(key, work))
                {
                    declined = new ItemOutcome(key, ItemOutcomeKind.HeldElsewhere, entry.Attempts, null, TimeSpan.Zero, hasSavedOutput: false);
                }
                else if (declined.Kind == ItemOutcomeKind.SkippedDuplicate)
                {
                    _progress.Skipped++;
                }

                _progress.MaybeReport();
                return declined;
            }
        }

        return RunClaimed(key, work, claim, deaths, cancellationToken, deferred);
    }

    /// <summary>
    /// Runs an item this run has claimed, with its retries, and records the result: durable on return, or, with
    /// <paramref name="deferred"/>, once the store makes the commit point put there durable (ProcessPipelined).
    /// </summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private ItemOutcome RunClaimed(string key, Func<ItemAttempt, string?> work, ItemClaim claim, int deaths, CancellationToken cancellationToken, StrongBox<CommitPoint>? deferred = null)
    {
        for (var attemptInRun = 1; ; attemptInRun++)
        {
            if (attemptInRun > 1)
            {
                lock (_gate)
                {
                    EnsureOpen();
                    claim = _store.Reclaim(claim, claim.Attempt + 1);
                }
            }

            var started = Stopwatch.GetTimestamp();
            string? output;
            try
            {
                output = work(new ItemAttempt(key, claim.Attempt, attemptInRun, cancellationToken));
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                LeaveUnfinished(claim, deaths);
                throw;
            }
            catch (StopForLaterException stop)
            {
                // Not a result and not worth a retry now: the item runs again on the next run.
                stop.Key ??= key;
                LeaveUnfinished(claim, deaths);
                throw;
            }
            catch (Exception ex)
            {
                var error = _describeError(ex);
                if (!_retry.ShouldRetry(attemptInRun))
                {
                    return Record(key, claim, ItemOutcomeKind.Failed, started, output: null, error, deferred);
                }

                // Not a result: an item is failed only when its last allowed attempt failed. Until the next attempt it
                // stays claimed with this attempt counted, so a run killed during the wait leaves it unfinished (it
                // runs again on resume), never failed.
                var delay = _retry.DelayAfter(attemptInRun);
                _options.OnRetry?.Invoke(new RetryNotice(key, attemptInRun, _retry.MaxAttempts, delay, error));
                if (cancellationToken.WaitHandle.WaitOne(delay))
                {
                    // Stopped while waiting to retry: the run meant to try again, so the item stays unfinished, not failed.
                    LeaveUnfinished(claim, deaths: 0);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                deaths = 0;
                continue;
            }

            return Record(key, claim, ItemOutcomeKind.Completed, started, output, error: null, deferred);
        }
    }

    /// <summary>The output saved with a completed item, or null when none was saved.</summary>
    public string? ReadSavedOutput(string key)
    {
        lock (_gate)
        {
            EnsureOpen();
            try
            {
                return _store.ReadSavedOutput(key);
            }
            catch (Exception ex) when (EngineBoundary.IsRuntimeFailure(ex))
            {
                // Behind the boundary like every entry point: a record that cannot be read back is the engine's error.
                throw EngineBoundary.Map(ex, Location.FilePath);
            }
        }
    }

    /// <summary>
    /// Keeps the checkpoint when the run finishes even if every recorded item completed: the front end saw input that
    /// the checkpoint cannot record (an item with no key), so "every item completed" would not be true.
    /// </summary>
    public void KeepAtFinish()
    {
        lock (_gate)
        {
            _keepAtFinish = true;
        }
    }

    /// <summary>A progress snapshot now (the notifications are throttled; this is not).</summary>
    public RunProgress GetProgress()
    {
        lock (_gate)
        {
            return _peeked = _progress.Snapshot(isFinal: false, _closed ? CheckpointState.Interrupted : CheckpointState.Running);
        }
    }

    /// <summary>
    /// A progress snapshot for a display timer: now when the session is free within a moment, otherwise the last one
    /// taken. Never waits longer: timer ticks on thread pool threads blocked on the session's lock (held across a shared
    /// store's round trip) starve the pool that the store's socket reads complete on.
    /// </summary>
    public RunProgress PeekProgress()
    {
        if (!Monitor.TryEnter(_gate, s_peekPatience))
        {
            return Volatile.Read(ref _peeked);
        }

        try
        {
            return _peeked = _progress.Snapshot(isFinal: false, _closed ? CheckpointState.Interrupted : CheckpointState.Running);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>
    /// Ends the run normally: records the run's end, then removes the checkpoint when every item completed (unless
    /// <see cref="RunOptions.Keep"/>), otherwise compacts it and keeps it. Sends the final progress notification.
    /// </summary>
    private RunSummary FinishCore()
    {
        // Results ProcessPipelined still holds are committed (and a refused one reported) before the run's end.
        Settle(keepLast: false);
        CheckpointState state;
        bool removed;
        lock (_gate)
        {
            ThrowIfUnusable();

            // Finish is meant to come after every Process call has returned; an item still in flight is left
            // unfinished rather than losing its earlier history in the compaction below.
            _store.InterruptAll();

            // Suspended: the input was not read to its end, so neither its size nor "every item completed" is known.
            var suspended = _suspending.IsCancellationRequested;
            var outcome = suspended ? JournalFormat.OutcomeSuspended
                : _store.Failed > 0 ? JournalFormat.OutcomeFailed
                : _store.InFlight > 0 ? JournalFormat.OutcomeIncomplete
                : JournalFormat.OutcomeCompleted;
            state = outcome switch
            {
                JournalFormat.OutcomeSuspended => CheckpointState.Suspended,
                JournalFormat.OutcomeFailed => CheckpointState.Failed,
                JournalFormat.OutcomeIncomplete => CheckpointState.Interrupted,
                _ => CheckpointState.Completed,
            };

            _store.EndRun(outcome, _progress.Seen, _progress.Completed, _progress.Failed, _progress.Skipped);
            if (!suspended)
            {
                _progress.InputEnded();
            }

            removed = state == CheckpointState.Completed && !_options.Keep && !_keepAtFinish;
            _closed = true;
            _finished = true;
            removed = _store.Close(remove: removed, compact: true);
            WriteProgressFile(state);
            WriteMetricsFile(state);
            _progress.ReportFinal(state);
        }

        _progressFileTimer?.Dispose();
        StopSuspendWatch();
        return new RunSummary(
            Location.Name, Location.FilePath, state, _progress.Seen, _progress.Completed, _progress.Failed, _progress.Skipped,
            _progress.SkippedFailed, _store.Failed, _progress.Elapsed, removed)
        {
            Deferred = _progress.Deferred,
        };
    }

    /// <summary>Releases the checkpoint. Without <see cref="Finish"/>, the run is recorded as interrupted and can be resumed.</summary>
    private void DisposeCore()
    {
        lock (_gate)
        {
            if (!_closed)
            {
                // A checkpoint this run created and never recorded an item in (a front end found a setup problem
                // at the first item) is removed: a failed start leaves nothing behind.
                var leaveNothing = !Resume.IsResume && _store.Keys == 0;
                try
                {
                    // Items still in flight were stopped, not killed: they run again on resume without counting as a death.
                    _store.InterruptAll();
                    _store.EndRun(JournalFormat.OutcomeInterrupted, _progress.Seen, _progress.Completed, _progress.Failed, _progress.Skipped);
                }
                finally
                {
                    // Whatever failed above (a full disk), the lock and the files are let go; what was appended stays.
                    _closed = true;
                    _store.Close(remove: leaveNothing, compact: false);
                }

                WriteProgressFile(CheckpointState.Interrupted);
                WriteMetricsFile(CheckpointState.Interrupted);
                _progress.ReportFinal(CheckpointState.Interrupted);
            }
        }

        _progressFileTimer?.Dispose();
        StopSuspendWatch();
    }

    /// <summary>
    /// Whether the checkpoint says to skip <paramref name="key"/> in this run (and what to return for it), and the
    /// key's state otherwise. An item that killed its process too often is recorded as failed here instead of run.
    /// </summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private bool TrySkip(string key, out ItemOutcome skipped, out KeyEntry entry)
    {
        skipped = default;
        if (!_store.TryGet(key, out entry))
        {
            return false;
        }

        switch (entry.Status)
        {
            case KeyStatus.Completed:
                skipped = entry.Run == _run
                    ? new ItemOutcome(key, ItemOutcomeKind.SkippedDuplicate, entry.Attempts, null, TimeSpan.Zero, hasSavedOutput: false)
                    : new ItemOutcome(key, ItemOutcomeKind.SkippedCompleted, entry.Attempts, null, TimeSpan.Zero, entry.HasOutput);
                break;
            case KeyStatus.Failed when entry.Run == _run:
            case KeyStatus.Started when entry.Run == _run:
                skipped = new ItemOutcome(key, ItemOutcomeKind.SkippedDuplicate, entry.Attempts, null, TimeSpan.Zero, hasSavedOutput: false);
                break;
            case KeyStatus.Failed when !_options.RetryFailed:
                _progress.SkippedFailed++;
                skipped = new ItemOutcome(key, ItemOutcomeKind.SkippedFailed, entry.Attempts, _store.ReadError(key), TimeSpan.Zero, hasSavedOutput: false);
                break;
            case KeyStatus.Interrupted when entry.Deaths >= _options.PoisonThreshold:
                var error = new ItemError(
                    $"The process died while processing this item {entry.Deaths} times, so it is now recorded as failed instead of being run again. " +
                    "Find out why it kills the process, then retry it with -RetryFailed (incps: --retry-failed).",
                    "IncrementalPS.PoisonItem",
                    "ProcessDied");
                _store.RecordPoisoned(key, entry.Attempts, entry.Deaths, error);
                _progress.Failed++;
                skipped = new ItemOutcome(key, ItemOutcomeKind.Poisoned, entry.Attempts, error, TimeSpan.Zero, hasSavedOutput: false);
                return true;
            default:
                return false;
        }

        _progress.Skipped++;
        return true;
    }

    /// <summary>
    /// What a declined claim means for the run: the store poisoned the item (its lease lapsed once too often, a failure
    /// the run reports and counts), or the item is not this run's to run now (a skip, counted by the caller).
    /// </summary>
    private ItemOutcome DeclinedOutcome(string key, int attempts)
    {
        // A store records a poison item it found at the claim as failed by this run; nothing else declined is.
        if (_store.TryGet(key, out var now) && now.Status == KeyStatus.Failed && now.Run == _run)
        {
            _progress.Failed++;
            return new ItemOutcome(key, ItemOutcomeKind.Poisoned, now.Attempts, _store.ReadError(key), TimeSpan.Zero, hasSavedOutput: false);
        }

        return new ItemOutcome(key, ItemOutcomeKind.SkippedDuplicate, attempts, null, TimeSpan.Zero, hasSavedOutput: false);
    }

    /// <summary>Records an item's result, then waits (outside the lock, so results of other threads share a flush) until it is durable.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private ItemOutcome Record(string key, in ItemClaim claim, ItemOutcomeKind kind, long started, string? output, ItemError? error, StrongBox<CommitPoint>? deferred)
    {
        var ended = Stopwatch.GetTimestamp();
        var duration = Timestamps.Between(started, ended);
        CommitPoint commit;
        lock (_gate)
        {
            // A result is recorded even when a background flush failed since: it is surfaced at the next item.
            EnsureOpen();
            commit = RecordLocked(claim, kind, duration, ended, output, error);
            _progress.MaybeReport(ended);
        }

        if (deferred is not null)
        {
            deferred.Value = commit;
        }
        else
        {
            WaitDurable(commit, kind);
        }

        // The caller's key: the claim holds what the store records, a hash under key hashing.
        return new ItemOutcome(key, kind, claim.Attempt, error, duration, hasSavedOutput: false);
    }

    /// <summary>Waits until a result is durable; one that a shared store's fence refused is counted no more.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private void WaitDurable(in CommitPoint commit, ItemOutcomeKind kind)
    {
        try
        {
            _store.WaitDurable(commit);
        }
        catch (CheckpointLeaseLostException)
        {
            lock (_gate)
            {
                if (kind == ItemOutcomeKind.Completed)
                {
                    _progress.Completed--;
                }
                else
                {
                    _progress.Failed--;
                }
            }

            throw;
        }
    }

    /// <summary>Writes one result and counts it. Under <c>_gate</c>.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private CommitPoint RecordLocked(in ItemClaim claim, ItemOutcomeKind kind, TimeSpan duration, long ended, string? output, ItemError? error)
    {
        // Counted once written: a write that throws counts nothing.
        if (kind == ItemOutcomeKind.Completed)
        {
            var completed = _store.RecordCompleted(claim, duration, _recordClock.At(ended), output);
            _progress.Completed++;
            return completed;
        }

        var failed = _store.RecordFailed(claim, duration, _recordClock.At(ended), error!);
        _progress.Failed++;
        return failed;
    }

    private void LeaveUnfinished(in ItemClaim claim, int deaths)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _store.RecordInterrupted(claim, deaths);
            }
        }
    }

    /// <summary>Before new work: refuses a closed run, and surfaces a failed background flush to disk.</summary>
    private void ThrowIfUnusable()
    {
        _store.ThrowIfFailed();
        EnsureOpen();
    }

    private void EnsureOpen()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(CheckpointSession), _finished ? "The run has finished." : "The run was stopped.");
        }
    }

    private void ProgressFileTick()
    {
        // Waits a moment at most, never longer, on a thread pool thread (see PeekProgress); a miss means the next tick writes.
        if (!Monitor.TryEnter(_gate, s_peekPatience))
        {
            return;
        }

        try
        {
            if (_closed)
            {
                return;
            }

            WriteProgressFile(CheckpointState.Running);
            WriteMetricsFile(CheckpointState.Running);
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    /// <summary>
    /// Best effort once the run has started: the progress file is for people watching, and a viewer holding it open on
    /// Windows, or anything else in its way, must neither stop a run nor fail one whose items were all recorded. Its
    /// path was checked when the run started; a write that fails now is tried again at the next tick.
    /// </summary>
    private void WriteProgressFile(CheckpointState state)
    {
        if (_options.ProgressFile is null)
        {
            return;
        }

        // Not the checkpoint's data: a failed write loses nothing, and the next one (tick or end) replaces the whole file.
        _ = ProgressFileWriter.TryWrite(_options.ProgressFile, _progress.Snapshot(state != CheckpointState.Running, state), DateTime.UtcNow);
    }

    /// <summary>Best effort, like the progress file (<see cref="MetricsFile"/>). Under <c>_gate</c>, or in the constructor.</summary>
    private void WriteMetricsFile(CheckpointState state)
        => _ = _metricsFile?.TryWrite(_progress.Snapshot(state != CheckpointState.Running, state), _store.Completed, _store.Failed, _store.InFlight, DateTimeOffset.UtcNow);

    /// <summary>
    /// Why the engine refuses <paramref name="key"/>, or null: the one rule for the keys it runs, the keys of a batch and
    /// the keys foreseen, checked before the store is asked anything about the key.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private string? RefusalOf(string? key)
    {
        if (string.IsNullOrEmpty(key))
        {
            return "An item key cannot be null or empty.";
        }

        if (HasLoneSurrogate(key!))
        {
            // UTF-8 would store it as U+FFFD: the key would never match again and distinct keys would merge.
            return $"The item key '{key}' is not valid Unicode (it has a lone surrogate). Derive a key that is.";
        }

        return _store.CannotHold(key!) is { } why ? $"The item key '{key!.Replace("\0", "\\0")}' cannot be recorded: {why}." : null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool HasLoneSurrogate(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            var c = key[i];
            if (char.IsHighSurrogate(c) && i + 1 < key.Length && char.IsLowSurrogate(key[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                return true;
            }
        }

        return false;
    }
}
