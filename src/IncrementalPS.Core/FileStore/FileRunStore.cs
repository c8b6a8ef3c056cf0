using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// The file checkpoint as a <see cref="IRunStore"/>: the journal (one appended line per record), the in-flight slots
/// file, compaction, and the lock that makes the run its only owner, from <see cref="Open"/> to <see cref="Close"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: the session calls it under its lock, except <see cref="WaitDurable"/>. The key table and the
/// offsets in it always match the file: a compaction rewrites both together.
/// </remarks>
internal sealed class FileRunStore : IRunStore
{
    private readonly CheckpointLocation _location;
    private readonly CheckpointLock _lock;
    private readonly KeyTable _keys;
    private readonly RunHistory _runs;
    private readonly RecordWriter _records = new();
    private readonly InFlightSlots _slots;
    private readonly CommitPolicy _commit;
    private readonly int _run;
    private readonly int _version;
    private readonly Func<DateTime> _clock;
    private readonly TimeSpan? _keepFor;
    // Keys this run has in flight that an item-started record marks (no slot was free, or the key is too long for one);
    // the others are in _slots.
    private readonly HashSet<string> _startedByRecord = new(StringComparer.Ordinal);
    private readonly Durability _durability;
    private IJournalAppender? _appender;
    // A new journal's name, flushed to disk while the first items run (Normal durability); null once it is.
    private BackgroundDirectorySync? _nameSync;
    // A failure of the journal found outside an append (a compaction's swap): the run stops before its next item.
    private ExceptionDispatchInfo? _failure;
    private FileStream? _readStream;
    private JournalRecordReader? _recordReader;
    private long _recordsInFile;
    // A mid-run compaction copying in the background, if any, and the record count below which none starts again
    // after one failed (so a failing rewrite is not retried at every record).
    private BackgroundCompaction? _compaction;
    private long _diskFlushesAtClose;
    private long _compactNoEarlierThan;
    private bool _closed;

    private FileRunStore(CheckpointLocation location, RunOptions options, CheckpointLock heldLock, LoadedJournal? loaded, IReadOnlyList<InFlightMark> deadMarks)
    {
        _location = location;
        _lock = heldLock;
        _clock = options.Clock;
        _keepFor = options.KeepFor;
        var now = _clock();

        long validLength;
        BackgroundDirectorySync? nameFlush = null;
        if (loaded is null)
        {
            var header = _records.Header(location.Name, options.Writer, now, options.RecordedSettings(), options.KeyHash?.Check);
            // The name waits for nothing at Normal durability, unless a -Restart deleted the old checkpoint just
            // before: a power failure must not bring back what the user asked to forget, with work to skip.
            nameFlush = CreateJournal(location.FilePath, header, nameAtOnce: options.Durability == Durability.Full || options.Restart);
            _keys = new KeyTable();
            _runs = new RunHistory();
            _version = options.KeyHash is null ? JournalFormat.CurrentVersion : JournalFormat.HashedKeysVersion;
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
        _run = _runs.LastRun + 1;
        Opening = new StoreOpening(_run, loaded is not null, previousState, loaded?.Scan.TornTail ?? false, previousFingerprint, _runs.EstimatedTotal);

        // Cuts off a torn last record, if any: the only change a resume makes before its own records.
        _durability = options.Durability;
        _nameSync = nameFlush;
        _appender = OpenAppender(validLength);
        _commit = CommitPolicy.For(options.Durability, () => JournalToFlush(nameFlush));
        try
        {
            var owner = CheckpointOwner.ForCurrentProcess(options.Writer);
            _runs.StartedOffset = AppendAndCommit(_records.RunStarted(_run, now, owner, options.Fingerprint, options.TotalCount, options.RecordedSettings()));
            _runs.LastRun = _run;
            _runs.Fingerprint = options.Fingerprint;

            // What the dead run had in flight goes into the journal now: the slots file is about to be recreated.
            foreach (var key in diedInFlight)
            {
                _keys.TryGet(key, out var entry);
                entry.Offset = AppendAndCommit(_records.ItemInterrupted(key, now, entry.Attempts, entry.Deaths));
                _keys.Set(key, entry);
            }

            _slots = InFlightSlots.Create(location.InFlightPath);
        }
        catch
        {
            // Open releases the lock; the file handle must go too, or Windows keeps the journal locked.
            _commit.Dispose();
            _appender.Dispose();
            nameFlush?.WaitQuietly();
            throw;
        }
    }

    public StoreOpening Opening { get; }

    public int Keys => _keys.Count;

    public long Completed => _keys.Completed;

    public long Failed => _keys.Failed;

    public long InFlight => _keys.InFlight;

    /// <summary>The journal's appender now open (tests: the test host kills itself in the close's flush).</summary>
    internal IJournalAppender? Journal => Volatile.Read(ref _appender);

    /// <summary>Fsyncs made for item results so far by the current journal handle (tests of group commit).</summary>
    internal long DiskFlushes => Volatile.Read(ref _appender)?.DiskFlushes ?? _diskFlushesAtClose;

    /// <summary>When to compact during the run (tests make it early).</summary>
    internal Func<long, int, bool> CompactDuringRun { get; set; } = CompactionPolicy.DuringRun;

    /// <summary>How many bytes appended during a mid-run compaction's copy may be copied under the lock (tests make it 0).</summary>
    internal long CompactionTailUnderLock { get; set; } = CompactionPolicy.TailUnderLock;

    /// <summary>Whether a mid-run compaction is under way, and how often the last one finished caught up in the background (tests).</summary>
    internal bool Compacting => _compaction is not null;

    internal int LastCompactionCatchUps { get; private set; }

    /// <summary>Called on the copying thread once a mid-run compaction has copied the live records, before it is finished (tests).</summary>
    internal Action? AfterCompactionCopy { get; set; }

    /// <summary>
    /// Takes the checkpoint's lock and opens (or creates) it. A torn last record is dropped and the file repaired;
    /// nothing else on disk changes if this throws.
    /// </summary>
    public static FileRunStore Open(CheckpointLocation location, RunOptions options)
    {
        if (File.Exists(location.FilePath))
        {
            // Before the lock too, so that a file that is no checkpoint does not get a .lock file beside it, whether
            // the run would delete it (-Restart) or resume it.
            CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
        }

        var heldLock = CheckpointLock.Acquire(location, options.Writer);
        try
        {
            // Before anything changes (-Restart deletes next): the start answers a request left over by removing it.
            CheckpointSidecars.EnsureOwnSuspendRequest(location);
            var verified = false;
            if (options.Restart && File.Exists(location.FilePath))
            {
                // Again under the lock: this is the check that decides the delete.
                CheckpointFileCheck.EnsureRemovable(location.FilePath);
                FileRetry.Delete(location.FilePath);
                verified = true;
            }

            if (File.Exists(location.FilePath))
            {
                // Before anything is written (even a version 1 file's upgrade): the wrong secret changes nothing.
                KeyHashCheck.Verify(ReadHeader(location.FilePath).KeyHashCheck, options.KeyHash, location.FilePath);
            }

            var loaded = File.Exists(location.FilePath) ? JournalUpgrade.LoadForWriting(location.FilePath) : null;
            if (loaded is null && !options.Restart)
            {
                OrphanedRewrite.ThrowIfOnlyCopy(location);
            }

            if (verified || loaded is not null)
            {
                heldLock.RemoveStaleRewrites();
            }

            // Running the command again resumes: a request left from an earlier run is answered by this start.
            SuspendRequest.Clear(location);

            var deadMarks = loaded is null ? Array.Empty<InFlightMark>() : InFlightSlots.ReadAll(location.InFlightPath);
            return new FileRunStore(location, options, heldLock, loaded, deadMarks);
        }
        catch
        {
            heldLock.Dispose();
            throw;
        }
    }

    public bool TryGet(string key, out KeyEntry entry) => _keys.TryGet(key, out entry);

    /// <summary>Null: a record's JSON escapes every character a key can have.</summary>
    public string? CannotHold(string key) => null;

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public bool TryClaim(string key, int attempt, int deaths, out ItemClaim claim)
    {
        // The run holds the checkpoint's lock: nobody else can hold or finish the item.
        claim = Claim(key, attempt, deaths);
        return true;
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private ItemClaim Claim(string key, int attempt, int deaths)
    {
        // Normally a memory store into the slots file (no system call); a key too long for a slot gets a record.
        var slot = _slots.CanMark(key) ? _slots.Mark(key, _run, attempt, deaths) : -1;
        var offset = slot >= 0 ? -1 : AppendAndCommit(_records.ItemStarted(key, _clock(), _run, attempt, deaths));
        _keys.Set(key, new KeyEntry { Offset = offset, Run = _run, Attempts = attempt, Deaths = deaths, Status = KeyStatus.Started });
        if (slot < 0)
        {
            _startedByRecord.Add(key);
        }

        return new ItemClaim(key, attempt, slot);
    }

    public ItemClaim Reclaim(in ItemClaim claim, int attempt)
    {
        // The new mark is made before the old one is freed, so a kill at any moment finds the item in flight.
        var next = Claim(claim.Key, attempt, deaths: 0);
        if (claim.Token >= 0)
        {
            _slots.Release((int)claim.Token, claim.Key);
        }
        else if (next.Token >= 0)
        {
            _startedByRecord.Remove(claim.Key);
        }

        return next;
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public CommitPoint RecordCompleted(in ItemClaim claim, TimeSpan duration, DateTime finished, string? output)
    {
        var offset = Append(_records.ItemCompleted(claim.Key, finished, claim.Attempt, duration.TotalMilliseconds, output));
        _keys.Set(claim.Key, new KeyEntry { Offset = offset, Run = _run, Attempts = claim.Attempt, Status = KeyStatus.Completed, HasOutput = output is not null });
        return Landed(claim.Key, claim.Token);
    }

    public CommitPoint RecordFailed(in ItemClaim claim, TimeSpan duration, DateTime finished, ItemError error)
    {
        var offset = Append(_records.ItemFailed(claim.Key, finished, claim.Attempt, duration.TotalMilliseconds, error));
        _keys.Set(claim.Key, new KeyEntry { Offset = offset, Run = _run, Attempts = claim.Attempt, Status = KeyStatus.Failed });
        return Landed(claim.Key, claim.Token);
    }

    public void RecordInterrupted(in ItemClaim claim, int deaths)
    {
        // Only a claim still in flight: one that ended is the item's result, which an interruption must not undo.
        if (!_closed && IsInFlight(claim))
        {
            MarkInterrupted(claim.Key, claim.Token, deaths);
        }
    }

    public void InterruptAll()
    {
        foreach (var (slot, key) in _slots.Marked())
        {
            _keys.TryGet(key, out var entry);
            MarkInterrupted(key, slot, entry.Deaths);
        }

        foreach (var key in new List<string>(_startedByRecord))
        {
            _keys.TryGet(key, out var entry);
            MarkInterrupted(key, -1, entry.Deaths);
        }
    }

    public void RecordPoisoned(string key, int attempts, int deaths, ItemError error)
    {
        var offset = AppendAndCommit(_records.ItemFailed(key, _clock(), attempts, 0, error, deaths));
        _keys.Set(key, new KeyEntry { Offset = offset, Run = _run, Attempts = attempts, Deaths = deaths, Status = KeyStatus.Failed });
    }

    public ItemError? ReadError(string key)
        => _keys.TryGet(key, out var entry) && entry.Status == KeyStatus.Failed && entry.Offset >= 0 ? ReadRecord(entry.Offset).Error : null;

    public string? ReadSavedOutput(string key)
        => _keys.TryGet(key, out var entry) && entry.Status == KeyStatus.Completed && entry.HasOutput ? ReadRecord(entry.Offset).Output : null;

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public void WaitDurable(in CommitPoint point) => _commit.WaitDurable(point);

    /// <summary>Nothing to do: this run owns the checkpoint, so it knows every key's state already.</summary>
    public void Refresh(IReadOnlyCollection<string> keys)
    {
    }

    public void ThrowIfFailed()
    {
        _failure?.Throw();
        _commit.ThrowIfFailed();
        if (_nameSync is { IsFinished: true })
        {
            WaitForName(needed: true);
        }
    }

    public void EndRun(string outcome, long seen, long completed, long failed, long skipped)
    {
        // A suspended run is an interrupted one with a reason: older readers see a run to resume.
        var reason = outcome == JournalFormat.OutcomeSuspended ? JournalFormat.ReasonSuspended : null;
        var written = reason is null ? outcome : JournalFormat.OutcomeInterrupted;
        _runs.NoteEnded(AppendAndCommit(_records.RunEnded(_run, _clock(), written, seen, completed, failed, skipped, reason)), _run, written, seen, reason);
        if (reason is not null)
        {
            // Recorded: the request is answered. A failure here leaves it for the next run, which clears it on start.
            SuspendRequest.Clear(_location);
        }
    }

    /// <summary>A stat of the request file: the session asks about once a second, never per item.</summary>
    public bool SuspendRequested => File.Exists(_location.SuspendPath);

    public bool Close(bool remove, bool compact)
    {
        if (_closed)
        {
            return false;
        }

        try
        {
            _closed = true;
            try
            {
                // Whatever the end compaction does, a copy under way is waited for: its temporary file must not outlive the lock.
                SettleCompaction(discard: remove);
            }
            finally
            {
                _commit.Dispose();
                CloseAppender(remove);
                CloseReader();
                _records.Dispose();
                _slots.Dispose();
            }

            // Every in-flight item is recorded by now (completed, failed or interrupted): nothing to hand on.
            FileRetry.Delete(_location.InFlightPath);
            if (remove)
            {
                FileRetry.Delete(_location.FilePath);

                // A request that came too late to be seen goes with the checkpoint, not left beside nothing.
                SuspendRequest.Clear(_location);
            }
            else if (compact)
            {
                ForgetExpired();
                if (CompactionPolicy.AtEnd(_recordsInFile, _keys.Count))
                {
                    TryCompact();
                }
            }

            // A kept checkpoint's name is on disk before the run says it is done, as its last records are (the close
            // flushed them). A removed one needs its name no longer, but the flush is not left running.
            WaitForName(needed: !remove);
        }
        finally
        {
            // Not left running past the lock, even when the close failed before waiting for it above.
            _nameSync?.WaitQuietly();
            _lock.Release(deleteFiles: remove);
        }

        // This run owns the file: a removal that did not throw happened.
        return remove;
    }

    public void Dispose() => Close(remove: false, compact: false);

    /// <summary>
    /// Writes a new journal's header through a temporary file, flushed before the rename: whatever a power failure
    /// leaves at the checkpoint's name is a whole checkpoint. With <paramref name="nameAtOnce"/> the name (the directory)
    /// is flushed before this returns; otherwise in the background while the first items run, a disk wait of 0.2 ms
    /// or more off a short run: a power failure before it ends loses those items, as Normal durability allows for
    /// the last second.
    /// </summary>
    private static BackgroundDirectorySync? CreateJournal(string path, ArraySegment<byte> header, bool nameAtOnce)
    {
        var temp = AtomicFile.WriteTemp(path, s => s.Write(header.Array!, header.Offset, header.Count), durable: true);
        AtomicFile.Commit(temp, path, durable: nameAtOnce);
        return nameAtOnce ? null : BackgroundDirectorySync.Start(Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".");
    }

    /// <summary>
    /// The journal for the once-a-second flush (the timer's thread), once its name is on disk: records flushed under a
    /// name a power failure could still take do not survive one. The timer runs the name's flush itself if no thread
    /// has started it, and skips its turn while another runs it rather than hold a pool thread. It keeps its own
    /// reference to the flush: the run's (<see cref="_nameSync"/>) is dropped under the session's lock once checked.
    /// </summary>
    private IJournalAppender? JournalToFlush(BackgroundDirectorySync? nameFlush)
    {
        nameFlush?.RunUnlessStarted();
        return nameFlush is { IsFinished: false } ? null : Volatile.Read(ref _appender);
    }

    /// <summary>
    /// Waits for the new journal's name to be on disk. When it is <paramref name="needed"/>, a failure is the run's:
    /// thrown now, and again before its next item.
    /// </summary>
    private void WaitForName(bool needed)
    {
        if (_nameSync is not { } sync)
        {
            return;
        }

        _nameSync = null;
        if (!needed)
        {
            sync.WaitQuietly();
            return;
        }

        try
        {
            sync.Wait();
        }
        catch (Exception ex)
        {
            _failure ??= ExceptionDispatchInfo.Capture(ex);
            throw;
        }
    }

    /// <summary>True once a new journal's name is on disk, or its flush failed (tests).</summary>
    internal bool NameFlushEnded => _nameSync is not { IsFinished: false };

    private void CloseAppender(bool remove)
    {
        if (Volatile.Read(ref _appender) is not { } appender)
        {
            return;
        }

        if (remove)
        {
            appender.CloseForDeletion();
        }
        else
        {
            appender.Dispose();
        }

        _diskFlushesAtClose = appender.DiskFlushes;
        Volatile.Write(ref _appender, null);
    }

    /// <summary>
    /// Items whose last record is item-started belonged to a run that died (we hold the lock, so none is live): they
    /// count one more death and run again.
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

    /// <summary>True while <paramref name="claim"/> is the item's claim in flight: its mark holds the key, and the key's attempt is the claim's.</summary>
    private bool IsInFlight(in ItemClaim claim)
        => (claim.Token >= 0 ? _slots.Holds((int)claim.Token, claim.Key) : _startedByRecord.Contains(claim.Key))
            && _keys.TryGet(claim.Key, out var entry) && entry.Status == KeyStatus.Started && entry.Attempts == claim.Attempt;

    private void MarkInterrupted(string key, long slot, int deaths)
    {
        _keys.TryGet(key, out var entry);
        entry.Offset = AppendAndCommit(_records.ItemInterrupted(key, _clock(), entry.Attempts, deaths));
        entry.Status = KeyStatus.Interrupted;
        entry.Deaths = deaths;
        entry.Run = _run;
        _keys.Set(key, entry);
        Landed(key, slot);
    }

    /// <summary>
    /// The item's result (or interruption) is in the journal: it is no longer in flight. Returns where the journal
    /// must be durable to for the result, then compacts the journal when it has grown far past its live state.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private CommitPoint Landed(string key, long slot)
    {
        // A claim that ended before (its slot may hold another key now) frees nothing.
        if (slot >= 0)
        {
            _slots.Release((int)slot, key);
        }
        else
        {
            _startedByRecord.Remove(key);
        }

        var journal = _appender!;
        var point = new CommitPoint(journal, journal.WrittenEnd);
        MaybeCompact();
        return point;
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private long Append(ArraySegment<byte> record)
    {
        var appender = _appender;
        if (appender is null)
        {
            // Only after a failed swap could not reopen the journal; that failure says why.
            _failure?.Throw();
            throw new InvalidOperationException("The checkpoint's journal is not open.");
        }

        _recordsInFile++;
        return appender.Append(record);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private long AppendAndCommit(ArraySegment<byte> record)
    {
        var journal = _appender!;
        var offset = Append(record);
        _commit.RecordAppended(journal, journal.WrittenEnd);
        return offset;
    }

    /// <summary>
    /// Starts a mid-run compaction when the journal has grown far past its live state, and finishes one whose copy is
    /// done. Only the plan (a memory copy) and the finish (the tail appended since, and the swap) hold the session's
    /// lock; the copy of the live records runs in the background while other items are recorded.
    /// </summary>
    private void MaybeCompact()
    {
        if (_compaction is not null)
        {
            if (!_compaction.IsCopied)
            {
                return;
            }

            // Much appended during the copy: copy that too in the background rather than under the lock (a few
            // rounds at most, in case the writers outpace the copy).
            if (_compaction.CatchUps < CompactionPolicy.MaxCatchUps && _compaction.Behind(_appender!.Position) > CompactionTailUnderLock)
            {
                _compaction.StartCatchUp(_appender.Position);
                return;
            }

            FinishCompaction();
            return;
        }

        if (_recordsInFile < _compactNoEarlierThan || !CompactDuringRun(_recordsInFile, _keys.Count))
        {
            return;
        }

        var plan = CompactionPlan.Take(_keys, _runs, _appender!.Position);
        _compaction = BackgroundCompaction.Start(_location.FilePath, plan, _recordsInFile, AfterCompactionCopy);
    }

    /// <summary>Waits for a mid-run compaction's copy and finishes it (or, with <paramref name="discard"/>, drops it). Tests call it to make the swap happen now.</summary>
    internal void SettleCompaction(bool discard = false)
    {
        if (_compaction is null)
        {
            return;
        }

        if (discard)
        {
            var dropped = _compaction;
            _compaction = null;
            dropped.Discard();
            return;
        }

        FinishCompaction();
    }

    /// <summary>
    /// The part of a mid-run compaction under the lock: the tail appended during the copy goes to the new file, which is
    /// flushed, swapped in, and reopened for appending; the offsets in memory follow. Compaction only saves space and
    /// load time: when it fails with an I/O error (on Windows another program may hold the file open past the retries),
    /// the journal stays as it was, complete and valid, the offsets in memory still match it, and the run goes on.
    /// </summary>
    private void FinishCompaction()
    {
        var compaction = _compaction!;
        _compaction = null;
        LastCompactionCatchUps = compaction.CatchUps;
        var end = _appender!.Position;
        long length;
        CompactionRemap remap;
        try
        {
            var (prefixLength, newLength) = compaction.AppendTail(end);
            length = newLength;
            remap = compaction.Plan.Remap(_keys, _runs, prefixLength);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            compaction.Discard();
            CompactionFailed();
            return;
        }
        catch
        {
            compaction.Discard();
            throw;
        }

        // Windows renames over no open file. The old handle flushes everything to disk as it closes: a result waiting
        // on it is durable (and it is in the new file too, flushed before the swap).
        var old = _appender;
        Volatile.Write(ref _appender, null);
        CloseReader();
        try
        {
            old.Dispose();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The old journal's last flush failed as it closed: the results waiting on it are told so (JournalAppender),
            // and the run stops before its next item. The journal on disk stays the old one.
            compaction.Discard();
            CompactionFailed();
            _failure = ExceptionDispatchInfo.Capture(ex);
            Reopen(end);
            return;
        }

        var committed = false;
        try
        {
            compaction.Commit();
            committed = true;
        }
        catch (DirectorySyncException ex)
        {
            // The new journal is in place (readers see it, appends must go to it), but its name may not survive a power
            // failure: like a failed flush of the journal, that stops the run before its next item.
            committed = true;
            _failure = ExceptionDispatchInfo.Capture(ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The swap did not happen (Commit removed its temporary file): the journal is the old one, as it was.
            CompactionFailed();
        }
        finally
        {
            Reopen(committed ? length : end);
        }

        if (committed)
        {
            remap.Apply(_keys, _runs);
            _recordsInFile = compaction.Plan.Records + (_recordsInFile - compaction.RecordsAtStart);
        }
    }

    /// <summary>Opens the journal for appending again after a swap, at the end of whichever file is in place.</summary>
    private void Reopen(long length)
    {
        try
        {
            Volatile.Write(ref _appender, FileRetry.Run(() => OpenAppender(length)));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _failure ??= ExceptionDispatchInfo.Capture(ex);
        }
    }

    /// <summary>
    /// At Normal durability records go through a mapping of the journal's tail (no system call per record); at Full
    /// each is fsynced anyway, and a write(2) before the fsync costs nothing next to it.
    /// </summary>
    private IJournalAppender OpenAppender(long length) => _durability == Durability.Full
        ? JournalAppender.Open(_location.FilePath, length)
        : MappedJournalAppender.Open(_location.FilePath, length);

    private void CompactionFailed() => _compactNoEarlierThan = CompactionPolicy.RetryAfterFailure(_recordsInFile);

    /// <summary>
    /// Compacts the closed journal. Compaction only saves space and load time: when it fails (on Windows another
    /// program may hold the file open past the retries), the journal stays as it was, complete and valid, and the
    /// offsets in memory still match it. Returns the new length, or null when the journal was left as it was.
    /// </summary>
    private long? TryCompact()
    {
        try
        {
            var (length, records) = Compactor.Compact(_location.FilePath, _keys, _runs);
            _recordsInFile = records;
            return length;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// With <see cref="RunOptions.KeepFor"/>: forgets completed items recorded longer ago than that, just before the end
    /// compaction rewrites the checkpoint without them. Reads each completed item's record for its time (the key table
    /// holds none); a record without a time is kept.
    /// </summary>
    private void ForgetExpired()
    {
        if (_keepFor is not TimeSpan keepFor)
        {
            return;
        }

        var cutoff = _clock() - keepFor;
        var expired = new List<string>();
        using (var stream = JournalLoader.OpenShared(_location.FilePath, bufferSize: 4096))
        {
            var reader = new JournalRecordReader(stream, _location.FilePath, _version);
            foreach (var pair in _keys.Entries)
            {
                if (pair.Value.Status == KeyStatus.Completed && pair.Value.Offset >= 0 && reader.ReadAt(pair.Value.Offset).Time is DateTime time && time < cutoff)
                {
                    expired.Add(pair.Key);
                }
            }
        }

        foreach (var key in expired)
        {
            _keys.Remove(key);
        }
    }

    private static JournalHeader ReadHeader(string path)
    {
        using var stream = JournalLoader.OpenShared(path, bufferSize: 4096);
        return JournalScanner.ReadHeader(stream, path);
    }

    private JournalRecord ReadRecord(long offset)
    {
        if (_recordReader is null)
        {
            // Unbuffered: a FileStream's buffer could hold the reserved NULs of a mapped tail from before a record
            // was appended there (the reader reads into its own buffer anyway).
            _readStream = JournalLoader.OpenShared(_location.FilePath, bufferSize: 1);
            _recordReader = new JournalRecordReader(_readStream, _location.FilePath, _version);
        }

        return _recordReader.ReadAt(offset);
    }

    private void CloseReader()
    {
        _readStream?.Dispose();
        _readStream = null;
        _recordReader = null;
    }
}
