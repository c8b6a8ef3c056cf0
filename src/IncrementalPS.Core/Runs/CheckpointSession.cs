using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// One run over a checkpoint: owns the checkpoint's lock from <see cref="Start"/> to <see cref="Dispose"/>,
/// decides per key whether to run or skip, runs the work with retries, and records every result before returning it.
/// </summary>
/// <remarks>
/// <see cref="Process"/> may be called from several threads at once (the CLI's --jobs); the work delegate runs on the
/// calling thread, and so do progress notifications, so a PowerShell front end calls everything from its pipeline thread.
/// Dispose without <see cref="Finish"/> leaves the checkpoint Interrupted, ready to resume. Call Finish or Dispose
/// once every Process call has returned (a front end with worker threads joins them first); an item still in flight
/// then is recorded as interrupted, and its late result cannot be recorded.
/// </remarks>
public sealed partial class CheckpointSession : IDisposable
{
    // Compact during a run only when the journal holds far more records than keys (a run writes about one per key; retries and resumes add more).
    private const int CompactionRecordsPerKey = 3;
    private const long CompactionSlack = 100_000;

    private readonly object _gate = new();
    private readonly RunOptions _options;
    private readonly CheckpointLock _lock;
    private readonly KeyTable _keys;
    private readonly RunHistory _runs;
    private readonly RecordWriter _records = new();
    private readonly RetryPolicy _retry;
    private readonly ProgressTracker _progress;
    private readonly Func<Exception, ItemError> _describeError;
    // Keys being processed now, with their in-flight slot (-1: marked by an item-started record instead).
    private readonly Dictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private readonly int _run;
    private readonly int _version;
    private readonly Timer? _heartbeat;
    private readonly Stopwatch _sinceProgressFile = Stopwatch.StartNew();
    private readonly InFlightSlots _slots;
    private JournalAppender? _appender;
    private FileStream? _readStream;
    private JournalRecordReader? _recordReader;
    private long _recordsInFile;
    private ExceptionDispatchInfo? _backgroundError;
    private bool _finished;
    private bool _closed;

    private CheckpointSession(CheckpointLocation location, RunOptions options, IProgress<RunProgress>? progress, CheckpointLock heldLock, LoadedJournal? loaded, IReadOnlyList<InFlightMark> deadMarks)
    {
        Location = location;
        _options = options;
        _lock = heldLock;
        _retry = new RetryPolicy(options.MaxAttempts, options.RetryDelay, options.MaxRetryDelay);
        _describeError = options.DescribeError ?? ItemError.FromException;
        var now = DateTime.UtcNow;

        long validLength;
        if (loaded is null)
        {
            var header = _records.Header(location.Name, options.Writer, now, Settings());
            AtomicFile.Write(location.FilePath, s => s.Write(header.Array!, header.Offset, header.Count), durable: true);
            _keys = new KeyTable();
            _runs = new RunHistory();
            _version = JournalFormat.CurrentVersion;
            validLength = header.Count;
        }
        else
        {
            _keys = loaded.Keys;
            _runs = loaded.Runs;
            _version = loaded.Scan.Header.Version;
            validLength = loaded.Scan.ValidLength;
            _recordsInFile = loaded.Scan.RecordCount;
        }

        var previousState = loaded is null ? (CheckpointState?)null : _runs.StoppedState(_keys);
        var previousFingerprint = _runs.Fingerprint;
        MarkDeadItems();
        var diedInFlight = InFlightRecovery.Apply(_keys, deadMarks, processDied: true);
        var deadItems = _keys.InFlight;
        _run = _runs.LastRun + 1;

        long? estimate = null;
        if (options.TotalCount is null && loaded is not null)
        {
            var known = Math.Max(_runs.EstimatedTotal ?? 0, _keys.Count);
            estimate = known > 0 ? known : null;
        }

        Resume = new ResumeInfo(
            _run, loaded is not null, previousState, _keys.Completed, _keys.Failed, deadItems,
            loaded?.Scan.TornTail ?? false, previousFingerprint,
            previousFingerprint is not null && options.Fingerprint is not null && previousFingerprint != options.Fingerprint,
            estimate);
        _progress = new ProgressTracker(location.Name, progress, options.ProgressInterval, options.TotalCount ?? estimate, options.TotalCount is null && estimate is not null);

        // Cuts off a torn last record, if any: the only change a resume makes before its own records.
        _appender = JournalAppender.Open(location.FilePath, validLength, options.Durability);
        try
        {
            var owner = CheckpointOwner.ForCurrentProcess(options.Writer);
            _runs.StartedOffset = Append(_records.RunStarted(_run, now, owner, options.Fingerprint, options.TotalCount, Settings()));
            _runs.LastRun = _run;
            _runs.Fingerprint = options.Fingerprint;

            // What the dead run had in flight goes into the journal now: the slots file is about to be recreated.
            foreach (var key in diedInFlight)
            {
                _keys.TryGet(key, out var entry);
                entry.Offset = Append(_records.ItemInterrupted(key, now, entry.Attempts, entry.Deaths));
                _keys.Set(key, entry);
            }

            _slots = InFlightSlots.Create(location.InFlightPath);
        }
        catch
        {
            // Start releases the lock; the file handle must go too, or Windows keeps the journal locked.
            _appender.Dispose();
            throw;
        }

        if (options.Durability == Durability.Normal || options.ProgressFile is not null)
        {
            var period = options.ProgressFile is null ? TimeSpan.FromSeconds(1) : Min(TimeSpan.FromSeconds(1), options.ProgressFileInterval);
            _heartbeat = new Timer(_ => Heartbeat(), null, period, period);
        }
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
            // A bad progress file path is a setup problem: fail before the checkpoint is touched.
            ProgressFileWriter.Write(options.ProgressFile, RunProgress.Starting(location.Name, options.TotalCount), DateTime.UtcNow);
        }

        var heldLock = CheckpointLock.Acquire(location, options.Writer);
        try
        {
            if (options.Restart && File.Exists(location.FilePath))
            {
                File.Delete(location.FilePath);
            }

            var loaded = File.Exists(location.FilePath) ? JournalUpgrade.LoadForWriting(location.FilePath) : null;
            var deadMarks = loaded is null ? Array.Empty<InFlightMark>() : InFlightSlots.ReadAll(location.InFlightPath);
            return new CheckpointSession(location, options, progress, heldLock, loaded, deadMarks);
        }
        catch
        {
            heldLock.Dispose();
            throw;
        }
    }

    /// <summary>Fsyncs made for item results so far by the current journal handle (tests of group commit).</summary>
    internal long DiskFlushes
    {
        get
        {
            lock (_gate)
            {
                return _appender?.DiskFlushes ?? 0;
            }
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
    private ItemOutcome ProcessCore(string key, Func<ItemAttempt, string?> work, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(key))
        {
            throw new ArgumentException("An item key cannot be null or empty.", nameof(key));
        }

        if (HasLoneSurrogate(key))
        {
            // UTF-8 would store it as U+FFFD: the key would never match again and distinct keys would merge.
            throw new ArgumentException($"The item key '{key}' is not valid Unicode (it has a lone surrogate). Derive a key that is.", nameof(key));
        }

        if (work is null)
        {
            throw new ArgumentNullException(nameof(work));
        }

        int attemptsBefore;
        int deaths;
        lock (_gate)
        {
            ThrowIfUnusable();
            _progress.NoteSeen(key);
            var skipped = TrySkip(key, out var entry);
            if (skipped is not null)
            {
                _progress.MaybeReport();
                return skipped;
            }

            attemptsBefore = entry.Attempts;
            deaths = entry.Status == KeyStatus.Interrupted ? entry.Deaths : 0;

            // Marked in flight under the same lock as the decision, so a second thread with the same key skips it.
            BeginAttempt(key, attemptsBefore + 1, deaths);
        }

        for (var attemptInRun = 1; ; attemptInRun++)
        {
            var attempt = attemptsBefore + attemptInRun;
            if (attemptInRun > 1)
            {
                lock (_gate)
                {
                    EnsureOpen();
                    BeginAttempt(key, attempt, deaths);
                }
            }

            var started = Stopwatch.GetTimestamp();
            string? output;
            try
            {
                output = work(new ItemAttempt(key, attempt, attemptInRun, cancellationToken));
            }
            catch (Exception) when (cancellationToken.IsCancellationRequested)
            {
                LeaveUnfinished(key, deaths);
                throw;
            }
            catch (Exception ex)
            {
                var error = _describeError(ex);
                var elapsed = Since(started);
                var retry = _retry.ShouldRetry(attemptInRun);
                JournalAppender failureJournal;
                long failureEnd;
                lock (_gate)
                {
                    // A result is recorded even when a background flush failed since: it is surfaced at the next item.
                    EnsureOpen();
                    failureJournal = _appender!;
                    var offset = AppendResult(_records.ItemFailed(key, DateTime.UtcNow, attempt, elapsed.TotalMilliseconds, error));
                    failureEnd = failureJournal.WrittenEnd;
                    _keys.Set(key, new KeyEntry { Offset = offset, Run = _run, Attempts = attempt, Status = KeyStatus.Failed });
                    Landed(key);
                    if (!retry)
                    {
                        _progress.Failed++;
                        _progress.MaybeReport();
                        MaybeCompact();
                    }
                }

                MakeDurable(failureJournal, failureEnd);
                if (!retry)
                {
                    return new ItemOutcome(key, ItemOutcomeKind.Failed, attempt, error, elapsed, hasSavedOutput: false);
                }

                var delay = _retry.DelayAfter(attemptInRun);
                _options.OnRetry?.Invoke(new RetryNotice(key, attemptInRun, _retry.MaxAttempts, delay, error));
                if (cancellationToken.WaitHandle.WaitOne(delay))
                {
                    // Stopped while waiting to retry: the run meant to try again, so the item stays unfinished, not failed.
                    LeaveUnfinished(key, deaths: 0);
                    cancellationToken.ThrowIfCancellationRequested();
                }

                deaths = 0;
                continue;
            }

            var duration = Since(started);
            JournalAppender journal;
            long end;
            lock (_gate)
            {
                EnsureOpen();
                journal = _appender!;
                var offset = AppendResult(_records.ItemCompleted(key, DateTime.UtcNow, attempt, duration.TotalMilliseconds, output));
                end = journal.WrittenEnd;
                _keys.Set(key, new KeyEntry { Offset = offset, Run = _run, Attempts = attempt, Status = KeyStatus.Completed, HasOutput = output is not null });
                Landed(key);
                _progress.Completed++;
                _progress.MaybeReport();
                MaybeCompact();
            }

            MakeDurable(journal, end);
            return new ItemOutcome(key, ItemOutcomeKind.Completed, attempt, null, duration, hasSavedOutput: false);
        }
    }

    /// <summary>The output saved with a completed item, or null when none was saved.</summary>
    public string? ReadSavedOutput(string key)
    {
        lock (_gate)
        {
            EnsureOpen();
            if (!_keys.TryGet(key, out var entry) || entry.Status != KeyStatus.Completed || !entry.HasOutput)
            {
                return null;
            }

            return ReadRecord(entry.Offset).Output;
        }
    }

    /// <summary>A progress snapshot now (the notifications are throttled; this is not).</summary>
    public RunProgress GetProgress()
    {
        lock (_gate)
        {
            return _progress.Snapshot(isFinal: false, _closed ? CheckpointState.Interrupted : CheckpointState.Running);
        }
    }

    /// <summary>
    /// Ends the run normally: records the run's end, then removes the checkpoint when every item completed (unless
    /// <see cref="RunOptions.Keep"/>), otherwise compacts it and keeps it. Sends the final progress notification.
    /// </summary>
    private RunSummary FinishCore()
    {
        CheckpointState state;
        bool removed;
        lock (_gate)
        {
            ThrowIfUnusable();

            // Finish is meant to come after every Process call has returned; an item still in flight is left
            // unfinished rather than losing its earlier history in the compaction below.
            MarkAllInFlightInterrupted();
            var outcome = _keys.Failed > 0 ? JournalFormat.OutcomeFailed
                : _keys.InFlight > 0 ? JournalFormat.OutcomeIncomplete
                : JournalFormat.OutcomeCompleted;
            state = outcome switch
            {
                JournalFormat.OutcomeFailed => CheckpointState.Failed,
                JournalFormat.OutcomeIncomplete => CheckpointState.Interrupted,
                _ => CheckpointState.Completed,
            };

            _runs.EndedOffset = Append(_records.RunEnded(_run, DateTime.UtcNow, outcome, _progress.Seen, _progress.Completed, _progress.Failed, _progress.Skipped));
            _runs.EndedRun = _run;
            _runs.Outcome = outcome;
            removed = state == CheckpointState.Completed && !_options.Keep;
            try
            {
                Close();
                if (removed)
                {
                    File.Delete(Location.FilePath);
                }
                else if (_recordsInFile > _keys.Count + 2)
                {
                    TryCompact();
                }
            }
            finally
            {
                _lock.Release(deleteFiles: removed);
                _finished = true;
            }

            WriteProgressFile(state);
            _progress.ReportFinal(state);
        }

        return new RunSummary(
            Location.Name, Location.FilePath, state, _progress.Seen, _progress.Completed, _progress.Failed, _progress.Skipped,
            _progress.SkippedFailed, _keys.Failed, _progress.Elapsed, removed);
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
                var leaveNothing = !Resume.IsResume && _keys.Count == 0;
                try
                {
                    // Items still in flight were stopped, not killed: they run again on resume without counting as a death.
                    MarkAllInFlightInterrupted();
                    _runs.EndedOffset = Append(_records.RunEnded(_run, DateTime.UtcNow, JournalFormat.OutcomeInterrupted, _progress.Seen, _progress.Completed, _progress.Failed, _progress.Skipped));
                }
                finally
                {
                    // Whatever failed above (a full disk), the lock and the files are let go; what was appended stays.
                    Close();
                    if (leaveNothing)
                    {
                        File.Delete(Location.FilePath);
                    }

                    _lock.Release(deleteFiles: leaveNothing);
                }

                WriteProgressFile(CheckpointState.Interrupted);
                _progress.ReportFinal(CheckpointState.Interrupted);
            }
        }

        _heartbeat?.Dispose();
    }

    private ItemOutcome? TrySkip(string key, out KeyEntry entry)
    {
        if (!_keys.TryGet(key, out entry))
        {
            return null;
        }

        switch (entry.Status)
        {
            case KeyStatus.Completed:
                _progress.Skipped++;
                return entry.Run == _run
                    ? new ItemOutcome(key, ItemOutcomeKind.SkippedDuplicate, entry.Attempts, null, TimeSpan.Zero, hasSavedOutput: false)
                    : new ItemOutcome(key, ItemOutcomeKind.SkippedCompleted, entry.Attempts, null, TimeSpan.Zero, entry.HasOutput);
            case KeyStatus.Failed when entry.Run == _run:
            case KeyStatus.Started when entry.Run == _run:
                _progress.Skipped++;
                return new ItemOutcome(key, ItemOutcomeKind.SkippedDuplicate, entry.Attempts, null, TimeSpan.Zero, hasSavedOutput: false);
            case KeyStatus.Failed when !_options.RetryFailed:
                _progress.Skipped++;
                _progress.SkippedFailed++;
                return new ItemOutcome(key, ItemOutcomeKind.SkippedFailed, entry.Attempts, ReadRecord(entry.Offset).Error, TimeSpan.Zero, hasSavedOutput: false);
            case KeyStatus.Interrupted when entry.Deaths >= _options.PoisonThreshold:
                var error = new ItemError(
                    $"The process died while processing this item {entry.Deaths} times, so it is now recorded as failed instead of being run again. " +
                    "Find out why it kills the process, then retry it with -RetryFailed (incps: --retry-failed).",
                    "IncrementalPS.PoisonItem",
                    "ProcessDied");
                var offset = Append(_records.ItemFailed(key, DateTime.UtcNow, entry.Attempts, 0, error));
                _keys.Set(key, new KeyEntry { Offset = offset, Run = _run, Attempts = entry.Attempts, Status = KeyStatus.Failed });
                _progress.Failed++;
                return new ItemOutcome(key, ItemOutcomeKind.Poisoned, entry.Attempts, error, TimeSpan.Zero, hasSavedOutput: false);
            default:
                return null;
        }
    }

    /// <summary>
    /// Items whose last record is item-started belonged to a run that died (we hold the lock, so none is live): they
    /// count one more death and run again. Returns how many items are unfinished.
    /// </summary>
    private void MarkDeadItems()
    {
        if (_keys.InFlight == 0)
        {
            return;
        }

        var dead = new List<string>();
        foreach (var pair in _keys.Entries)
        {
            if (pair.Value.Status == KeyStatus.Started)
            {
                dead.Add(pair.Key);
            }
        }

        foreach (var key in dead)
        {
            _keys.TryGet(key, out var entry);
            entry.Status = KeyStatus.Interrupted;
            entry.Deaths++;
            _keys.Set(key, entry);
        }
    }

    private void BeginAttempt(string key, int attempt, int deaths)
    {
        // Normally a memory store into the slots file (no system call); a key too long for a slot gets a record.
        var slot = _slots.CanMark(key) ? _slots.Mark(key, _run, attempt, deaths) : -1;
        var offset = slot >= 0 ? -1 : Append(_records.ItemStarted(key, DateTime.UtcNow, _run, attempt, deaths));
        _keys.Set(key, new KeyEntry { Offset = offset, Run = _run, Attempts = attempt, Deaths = deaths, Status = KeyStatus.Started });
        _inFlight[key] = slot;
    }

    private void MarkAllInFlightInterrupted()
    {
        foreach (var key in new List<string>(_inFlight.Keys))
        {
            _keys.TryGet(key, out var entry);
            MarkInterrupted(key, entry.Deaths);
        }
    }

    private void LeaveUnfinished(string key, int deaths)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                MarkInterrupted(key, deaths);
            }
        }
    }

    private void MarkInterrupted(string key, int deaths)
    {
        _keys.TryGet(key, out var entry);
        entry.Offset = Append(_records.ItemInterrupted(key, DateTime.UtcNow, entry.Attempts, deaths));
        entry.Status = KeyStatus.Interrupted;
        entry.Deaths = deaths;
        entry.Run = _run;
        _keys.Set(key, entry);
        Landed(key);
    }

    /// <summary>The item's result (or interruption) is in the journal: it is no longer in flight.</summary>
    private void Landed(string key)
    {
        if (_inFlight.TryGetValue(key, out var slot))
        {
            if (slot >= 0)
            {
                _slots.Clear(slot);
            }

            _inFlight.Remove(key);
        }
    }

    private long Append(ArraySegment<byte> record)
    {
        _recordsInFile++;
        return _appender!.Append(record);
    }

    /// <summary>Appends an item's result; at Full durability the caller then calls <see cref="MakeDurable"/> outside the lock.</summary>
    private long AppendResult(ArraySegment<byte> record)
    {
        _recordsInFile++;
        return _appender!.Append(record, deferFlush: true);
    }

    /// <summary>
    /// At Full durability, waits until the item's result is on disk before the result is handed on. Outside the
    /// session's lock, so items finishing on other threads share the fsync (incps --jobs).
    /// </summary>
    private void MakeDurable(JournalAppender journal, long end)
    {
        if (_options.Durability == Durability.Full)
        {
            journal.MakeDurable(end);
        }
    }

    private void MaybeCompact()
    {
        if (_recordsInFile <= (CompactionRecordsPerKey * (long)_keys.Count) + CompactionSlack)
        {
            return;
        }

        var length = _appender!.Position;
        _appender.Dispose();
        _appender = null;
        CloseReader();
        try
        {
            length = TryCompact() ?? length;
        }
        finally
        {
            _appender = JournalAppender.Open(Location.FilePath, length, _options.Durability);
        }
    }

    /// <summary>
    /// Compacts the closed journal. Compaction only saves space and load time: when it fails (on Windows another
    /// program may hold the file open past the retries), the journal stays as it was, complete and valid, and the
    /// offsets in memory still match it. Returns the new length, or null when the journal was left as it was.
    /// </summary>
    private long? TryCompact()
    {
        try
        {
            var (length, records) = Compactor.Compact(Location.FilePath, _keys, _runs);
            _recordsInFile = records;
            return length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private JournalRecord ReadRecord(long offset)
    {
        if (_recordReader is null)
        {
            _readStream = JournalLoader.OpenShared(Location.FilePath, bufferSize: 4096);
            _recordReader = new JournalRecordReader(_readStream, Location.FilePath, _version);
        }

        return _recordReader.ReadAt(offset);
    }

    private void CloseReader()
    {
        _readStream?.Dispose();
        _readStream = null;
        _recordReader = null;
    }

    private void Close()
    {
        _closed = true;
        _appender?.Dispose();
        _appender = null;
        CloseReader();
        _records.Dispose();
        _slots.Dispose();
        // Every in-flight item is recorded by now (completed, failed or interrupted): nothing to hand on.
        File.Delete(Location.InFlightPath);
    }

    /// <summary>Before new work: refuses a closed run, and surfaces a failed background flush to disk.</summary>
    private void ThrowIfUnusable()
    {
        _backgroundError?.Throw();
        EnsureOpen();
    }

    private void EnsureOpen()
    {
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(CheckpointSession), _finished ? "The run has finished." : "The run was stopped.");
        }
    }

    private void Heartbeat()
    {
        JournalAppender? appender;
        lock (_gate)
        {
            if (_closed || _backgroundError is not null)
            {
                return;
            }

            appender = _appender;
        }

        try
        {
            // Bounds what a power failure can take at Normal durability to about a second of records. Outside the
            // session's lock: items go on being recorded while the disk catches up.
            appender?.FlushToDisk();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A timer thread must not throw; the run reports it before its next item instead.
            lock (_gate)
            {
                _backgroundError = ExceptionDispatchInfo.Capture(ex);
            }

            return;
        }

        lock (_gate)
        {
            if (!_closed && _options.ProgressFile is not null && _sinceProgressFile.Elapsed >= _options.ProgressFileInterval)
            {
                try
                {
                    WriteProgressFile(CheckpointState.Running);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // The progress file is for people watching; a viewer holding it open on Windows must not stop the
                    // run. The next tick writes it again.
                }
            }
        }
    }

    private void WriteProgressFile(CheckpointState state)
    {
        if (_options.ProgressFile is null)
        {
            return;
        }

        ProgressFileWriter.Write(_options.ProgressFile, _progress.Snapshot(state != CheckpointState.Running, state), DateTime.UtcNow);
        _sinceProgressFile.Restart();
    }

    private IEnumerable<KeyValuePair<string, string>> Settings()
    {
        var c = CultureInfo.InvariantCulture;
        yield return new("durability", _options.Durability.ToString());
        yield return new("maxAttempts", _options.MaxAttempts.ToString(c));
        yield return new("retryDelay", _options.RetryDelay.ToString("c", c));
        yield return new("retryFailed", _options.RetryFailed ? "true" : "false");
        yield return new("keep", _options.Keep ? "true" : "false");
        yield return new("poisonThreshold", _options.PoisonThreshold.ToString(c));
        foreach (var pair in _options.Settings)
        {
            yield return pair;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Since(long timestamp)
        => TimeSpan.FromTicks((long)((Stopwatch.GetTimestamp() - timestamp) * ((double)TimeSpan.TicksPerSecond / Stopwatch.Frequency)));

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
