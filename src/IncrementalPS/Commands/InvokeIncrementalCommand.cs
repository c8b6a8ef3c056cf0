using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Errors;
using IncrementalPS.Keys;
using IncrementalPS.Loading;
using IncrementalPS.Parameters;
using IncrementalPS.Progress;
using IncrementalPS.Running;
using IncrementalPS.Running.Batching;
using IncrementalPS.Running.Parallel;
using IncrementalPS.Store;

namespace IncrementalPS.Commands;

/// <summary>
/// <para type="synopsis">Runs a script block once per pipeline item and records each item in a checkpoint, so that
/// running the same command again after Ctrl+C, a crash or a reboot skips what is done.</para>
/// </summary>
/// <remarks>
/// A translation layer: parameters become <see cref="RunOptions"/>, each item goes to
/// <see cref="CheckpointSession.Process"/>, and its <see cref="ItemOutcome"/> becomes output, an error or a verbose
/// message. Setup problems are terminating errors (nothing on disk changes); a failing item is a non-terminating
/// ItemFailed error and the run goes on. A missing -Key is a terminating KeyRequired error: it is a mistake in the
/// command, not in one item, so going on would only repeat it for every item.
/// </remarks>
[Cmdlet(VerbsLifecycle.Invoke, "Incremental", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(object))]
public sealed partial class InvokeIncrementalCommand : PSCmdlet, IDisposable
{
    /// <summary>The most items -ReadAhead holds back: as many as the store claims in one trip; more would only delay output.</summary>
    internal const int MaxReadAhead = PostgresRunStore.ClaimAhead;

    private const string ByName = "ByName";
    private const string ByPath = "ByPath";
    private const long SkipReportInterval = 1000;

    private CheckpointLocation? _location;
    private PostgresTarget? _database;
    private long _heldElsewhereAtStart;
    private CheckpointSession? _session;
    private CancellationTokenSource? _cancellation;
    private ProgressReporter? _progress;
    private ScriptBlockRunner? _runner;
    private ParallelRun? _parallel;
    private ItemBatcher? _batches;
    private SharedStoreItems? _shared;
    private ReadAheadWindow<PSObject?>? _readAhead;
    // The item RunKeyed hands a checkpoint file's session, and one delegate that runs it: no closure per item.
    private PSObject? _keyedItem;
    private Func<ItemAttempt, string?>? _runKeyedItem;
    private KeySelector? _keys;
    private KeyHasher? _keyHasher;
    private Exception? _lastFailure;
    private int _keyless;
    private long _skippedCompleted;
    private long _skippedFailed;
    private long _skippedDuplicate;

    /// <summary>The checkpoint's name in the store.</summary>
    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(CheckpointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The checkpoint's file, for a checkpoint kept outside the store.</summary>
    [Parameter(ParameterSetName = ByPath, Mandatory = true)]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>
    /// A PostgreSQL store shared by many workers (a postgres:// URI or a connection string); default
    /// $env:INCREMENTALPS_STORE. This run joins the checkpoint as one more worker.
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>
    /// With -Store: how long this worker's claims outlive its last heartbeat before another worker takes its items over
    /// (seconds or a TimeSpan; default 30 s), as incps --lease.
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [SecondsToTimeSpan]
    public TimeSpan Lease { get; set; } = PostgresCheckpoint.DefaultLease;

    /// <summary>
    /// With -Store: hold up to this many pipeline items before running the first, so that the store claims their keys
    /// in the same trip (as incps run does with the lines it reads ahead): workers on the same input then stop paying a
    /// trip for each item another holds. Each item then runs, and its output comes, this many items later than it
    /// arrived. 0 (the default) runs each item as it arrives, as ForEach-Object does.
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [ValidateRange(0, MaxReadAhead)]
    public int ReadAhead { get; set; }

    /// <summary>The script block run once per item, with $_ and $PSItem bound, in the caller's scope.</summary>
    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 1)]
    [Parameter(ParameterSetName = ByPath, Mandatory = true, Position = 0)]
    [ValidateNotNull]
    public ScriptBlock Process { get; set; } = null!;

    /// <summary>The items, from the pipeline.</summary>
    [Parameter(ValueFromPipeline = true)]
    public PSObject? InputObject { get; set; }

    /// <summary>An item's identity: a property name or a script block.</summary>
    [Parameter]
    [ValidateNotNull]
    public object? Key { get; set; }

    /// <summary>Run items that failed in earlier runs again.</summary>
    [Parameter]
    public SwitchParameter RetryFailed { get; set; }

    /// <summary>Attempts per item in this run.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int MaxAttempts { get; set; } = 1;

    /// <summary>Wait before the first in-run retry (seconds or a TimeSpan); doubles for each further retry.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Discard the existing checkpoint first and process every item.</summary>
    [Parameter]
    public SwitchParameter Restart { get; set; }

    /// <summary>Keep the checkpoint when every item completed, as a ledger: later runs process only new keys.</summary>
    [Parameter]
    public SwitchParameter Keep { get; set; }

    /// <summary>With -Keep: completed items recorded longer ago than this are forgotten when the run ends; they run again if they come back.</summary>
    [Parameter]
    [SecondsToTimeSpan]
    public TimeSpan KeepFor { get; set; }

    /// <summary>Store a keyed hash (HMAC-SHA-256) of each key instead of the key; the secret is named by -KeySecretVariable or -KeySecretPath.</summary>
    [Parameter]
    public SwitchParameter KeyHash { get; set; }

    /// <summary>The environment variable holding the -KeyHash secret (default INCREMENTALPS_KEY_SECRET).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeySecretVariable { get; set; }

    /// <summary>The file holding the -KeyHash secret.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeySecretPath { get; set; }

    /// <summary>The number of items in the input, for percent complete and ETA.</summary>
    [Parameter]
    [ValidateRange(0, long.MaxValue)]
    public long TotalCount { get; set; }

    /// <summary>A text file rewritten every few seconds with done/total, percent, failed, rate and ETA.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? ProgressFile { get; set; }

    /// <summary>A Prometheus text file (node_exporter's textfile collector) kept up to date with the checkpoint's metrics.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? MetricsFile { get; set; }

    /// <summary>How far each record travels before the item's output is passed on.</summary>
    [Parameter]
    public Durability Durability { get; set; } = Durability.Normal;

    /// <summary>Save each item's output and, on later runs, emit the saved output of items done before.</summary>
    [Parameter]
    public SwitchParameter ReplayOutput { get; set; }

    /// <summary>Items run at once, each in a runspace of its own (2 or more); 1 runs them one by one in the caller's scope.</summary>
    [Parameter]
    [ValidateRange(1, 1024)]
    public int ThrottleLimit { get; set; } = 1;

    /// <summary>Stop an item still running after this many seconds and record it failed (items then run in runspaces).</summary>
    [Parameter]
    [ValidateRange(1, ParallelSettings.MaxTimeoutSeconds)]
    public int TimeoutSeconds { get; set; }

    /// <summary>Hand the script block this many items at a time as $_ (an array); they are recorded together.</summary>
    [Parameter]
    [ValidateRange(1, int.MaxValue)]
    public int BatchSize { get; set; } = 1;

    /// <summary>Opens the checkpoint (terminating errors here leave everything on disk as it was).</summary>
    protected override void BeginProcessing()
    {
        _database = SharedStore.Resolve(this, Store, ParameterSetName == ByName);

        try
        {
            _location = ParameterSetName == ByPath
                ? new CheckpointResolver(SessionState.Path).FromPath(Path)
                : _database is not null ? PostgresCheckpoint.Locate(_database, Name) : CheckpointResolver.FromName(Name);
        }
        catch (CheckpointException exception)
        {
            // A bad name or path maps to its own ID, with the argument as target.
            ThrowTerminatingError(ErrorRecords.ForCheckpoint(exception, ParameterSetName == ByPath ? Path : Name));
        }

        try
        {
            _keys = KeySelector.Create(Key);
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(new ErrorRecord(exception, ErrorIds.InvalidRunOption, ErrorCategory.InvalidArgument, Key));
        }

        if (BatchSize > 1 && ReplayOutput)
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                "-ReplayOutput cannot be used with -BatchSize: a batch's output belongs to no single item, so it could not be replayed per item. Use one or the other.",
                BatchSize));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(KeepFor)) && !Keep)
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                "-KeepFor limits how long a -Keep ledger remembers completed items: add -Keep, or leave -KeepFor out.",
                KeepFor));
        }

        try
        {
            _keyHasher = KeySecretParameters.Create(KeyHash, KeySecretVariable, KeySecretPath, SessionState.Path);
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(ErrorRecords.KeySecretUnavailable(exception));
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(Lease)) && (_database is null || Lease <= TimeSpan.Zero))
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                _database is null ? "-Lease applies to a PostgreSQL store (-Store, or $env:INCREMENTALPS_STORE)." : "-Lease must be positive.",
                Lease));
        }

        if (ReadAhead > 0 && _database is null)
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                "-ReadAhead applies to a PostgreSQL store (-Store, or $env:INCREMENTALPS_STORE): it lets the store claim the next items' keys in one trip.",
                ReadAhead));
        }

        if (_database is not null && (ThrottleLimit > 1 || TimeoutSeconds > 0 || BatchSize > 1))
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                "-ThrottleLimit, -TimeoutSeconds and -BatchSize do not work with a PostgreSQL store yet: a worker there runs one item at a time. " +
                "To share the work, run more workers (on this machine or others) with the same command.",
                Store is null ? "$env:" + SharedStore.Variable : "-Store"));
        }

        // Only -Restart destroys anything, so only it asks for consent; -WhatIf still shows what a run would do.
        var askConsent = Restart || MyInvocation.BoundParameters.ContainsKey("WhatIf");
        var action = Restart
            ? "Discard the checkpoint and process the input from the start"
            : "Process the input, recording each item in the checkpoint";
        if (askConsent && !ShouldProcess(_location!.FilePath, action))
        {
            return;
        }

        _cancellation = new CancellationTokenSource();
        _progress = new ProgressReporter(this, _location!.Name);
        _runner = new ScriptBlockRunner(this, Process, ReplayOutput);
        try
        {
            var options = BuildOptions();
            _parallel = ParallelMode.Create(this, Process, ThrottleLimit, TimeoutSeconds, ReplayOutput, _location.Name, ReportParallel, NotRun, _cancellation.Token);
            if (_parallel is not null)
            {
                options.OnRetry = _parallel.OnRetry(options.OnRetry);
            }

            _session = _database is not null
                ? PostgresCheckpoint.Start(_database, _location, options, Lease, _progress)
                : CheckpointSession.Start(_location, options, (IProgress<RunProgress>?)_parallel?.Progress ?? _progress);
            _parallel?.Start(_session);
            _heldElsewhereAtStart = _database is null ? 0 : PostgresStatusReader.HeldByOtherWorkers(_database, _location.Name, _session.Resume.RunNumber);
            _batches = BatchSize <= 1 ? null
                : _parallel is not null ? new ItemBatcher(BatchSize, _session.IsSettled, _parallel.Submit, _parallel.SubmitBatch)
                : BatchesInCallersScope(_session);
            _shared = _database is not null && _parallel is null && _batches is null ? new SharedStoreItems(_session, Report) : null;
            _readAhead = _shared is not null && ReadAhead > 0 ? new ReadAheadWindow<PSObject?>(ReadAhead + 1) : null;
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(ErrorRecords.InvalidRunOption(exception));
        }
        catch (CheckpointException exception)
        {
            ThrowTerminatingError(ErrorRecords.ForCheckpoint(exception, _location.FilePath));
        }

        ReportResume(_session!.Resume);
    }

    /// <summary>Hands one item to the engine and reports what happened to it.</summary>
    protected override void ProcessRecord()
    {
        try
        {
            ProcessItem();
        }
        catch
        {
            // -ErrorAction Stop, a terminating error or a downstream Select-Object -First: the bar must not stay up.
            _progress?.CompleteOnError();
            _parallel?.CompleteOnError();
            throw;
        }
    }

    private void ProcessItem()
    {
        if (_session is null || (InputObject is null && !MyInvocation.ExpectingInput) || EndIfSuspending())
        {
            return;
        }

        var item = InputObject;
        var key = _keys!.Select(item);
        if (key.Error is not null)
        {
            if (key.IsUsageError)
            {
                _progress!.Complete();
                ThrowTerminatingError(key.Error);
            }

            WriteError(key.Error);
            NotRun();
            return;
        }

        if (_batches is not null)
        {
            RunStep(() => _batches.Add(key.Key!, item));
            return;
        }

        if (_parallel is not null)
        {
            RunStep(() => _parallel.Submit(key.Key!, item));
            return;
        }

        if (_readAhead is not null)
        {
            // Held back until the window is full (the item to run and -ReadAhead after it); the oldest then runs, with
            // the keys after it to claim in its trip.
            _readAhead.Add(item, key.Key!);
            if (_readAhead.IsFull && _readAhead.TryTake(out var due, out var dueKey))
            {
                RunKeyed(dueKey, due, _readAhead.Keys);
            }

            return;
        }

        RunKeyed(key.Key!, item, Array.Empty<string>());
    }

    /// <summary>Runs the items still held back by -ReadAhead, at the end of the input.</summary>
    private void RunReadAhead()
    {
        while (_readAhead is not null && _session is not null && _readAhead.TryTake(out var item, out var key))
        {
            RunKeyed(key, item, _readAhead.Keys);
        }
    }

    /// <summary>
    /// Runs one item whose key is known and reports its outcome. <paramref name="upcoming"/>: the keys of the items
    /// held back after it (-ReadAhead), which a shared store may claim in the same trip.
    /// </summary>
    private void RunKeyed(string key, PSObject? item, IReadOnlyList<string> upcoming)
    {
        ItemOutcome outcome;
        try
        {
            if (_shared is not null)
            {
                // Its own closure: a shared store's session keeps the work of an item another worker holds, to run it
                // at the end of the input if that worker dies.
                _shared.Process(key, upcoming, item, _ => RunItem(item), () => _lastFailure is not null, _cancellation!.Token);
                EndIfSuspending();
                return;
            }

            // The checkpoint file's session runs the work now or never: one delegate serves every item.
            _keyedItem = item;
            _runKeyedItem ??= _ => RunItem(_keyedItem);
            try
            {
                outcome = _session!.Process(key, _runKeyedItem, _cancellation!.Token);
            }
            finally
            {
                _keyedItem = null;
            }
        }
        catch (OperationCanceledException) when (_cancellation!.IsCancellationRequested)
        {
            // Stopped while waiting between attempts: the item stays in flight and runs again on resume.
            throw new PipelineStoppedException();
        }
        catch (ItemKeyRefusedException exception)
        {
            // The engine refuses a key it could not store faithfully (not valid Unicode): this item only.
            WriteError(ErrorRecords.KeyUnavailable(item, exception.Message, Key is not null, exception));
            NotRun();
            return;
        }
        catch (CheckpointException exception)
        {
            _progress!.Complete();
            ThrowTerminatingError(ErrorRecords.ForCheckpoint(exception, _location!.FilePath));
            return;
        }
        catch (StopForLaterException stop)
        {
            _progress!.Complete();
            ThrowTerminatingError(ErrorRecords.StoppedForLater(stop, item));
            return;
        }

        Report(outcome, item);
        EndIfSuspending();
    }

    /// <summary>Records the run's end, removes or keeps the checkpoint, and warns about failed items.</summary>
    protected override void EndProcessing()
    {
        if (_session is null)
        {
            return;
        }

        RunSummary summary;
        try
        {
            if (_batches is not null)
            {
                RunStep(_batches.Flush);
            }

            RunReadAhead();
            if (_session is null)
            {
                // Suspended while running the items held back: EndIfSuspending ended the run.
                return;
            }

            _runner!.End();
            if (_parallel is not null)
            {
                RunStep(_parallel.Drain);
            }

            _shared?.Drain();
            SharedStoreEnd.ProcessHeld(_session, outcome => Report(outcome, null), _cancellation!.Token);

            summary = _session.Finish();
        }
        catch (CheckpointException exception)
        {
            _progress!.Complete();
            ThrowTerminatingError(ErrorRecords.ForCheckpoint(exception, _location!.FilePath));
            return;
        }
        finally
        {
            _progress!.Detach();
            _parallel?.Detach();
        }

        _shared?.Dispose();
        _session.Dispose();
        _session = null;
        ReportSummary(summary);
    }

    /// <summary>Ctrl+C: cancels the engine's waits; the item in flight is not recorded as done.</summary>
    protected override void StopProcessing() => _cancellation?.Cancel();

    /// <summary>Releases the checkpoint. After Ctrl+C or a terminating error it is left Interrupted, ready to resume.</summary>
    public void Dispose()
    {
        _progress?.Detach();
        _runner?.Dispose();

        // Stops the parallel items first: the session must outlive every Process call.
        _parallel?.Dispose();
        _shared?.Dispose();
        _session?.Dispose();
        _session = null;
        _keyHasher?.Dispose();
        _keyHasher = null;
        _cancellation?.Dispose();
        _cancellation = null;
    }

    private RunOptions BuildOptions()
    {
        var options = new RunOptions
        {
            Writer = ModuleIdentity.Writer,
            Durability = Durability,
            RetryFailed = RetryFailed,
            MaxAttempts = MaxAttempts,
            RetryDelay = RetryDelay,
            Restart = Restart,
            Keep = Keep,
            KeyHash = _keyHasher,
            Fingerprint = ItemKey.Fingerprint(Process.ToString()),
            DescribeError = ItemErrorDescriber.Describe,
            OnRetry = ReportRetry,
        };

        if (MyInvocation.BoundParameters.ContainsKey(nameof(TotalCount)))
        {
            options.TotalCount = TotalCount;
        }

        if (MyInvocation.BoundParameters.ContainsKey(nameof(KeepFor)))
        {
            options.KeepFor = KeepFor;
        }

        if (ProgressFile is not null)
        {
            options.ProgressFile = SessionState.Path.GetUnresolvedProviderPathFromPSPath(ProgressFile);
        }

        if (MetricsFile is not null)
        {
            options.MetricsFile = SessionState.Path.GetUnresolvedProviderPathFromPSPath(MetricsFile);
        }

        if (ReplayOutput)
        {
            options.Settings["replayOutput"] = "true";
        }

        return options;
    }

    private string? RunItem(PSObject? item)
    {
        // Set again by this attempt if it fails: a failure retried into success is not this item's error.
        _lastFailure = null;
        try
        {
            _runner!.Run(item);
        }
        catch (ScriptBlockFailedException exception) when (StopRequest.Find(exception) is { } stop)
        {
            // Not the item's failure: the engine leaves the item unfinished, and the run ends (ProcessItem).
            throw stop;
        }
        catch (ScriptBlockFailedException exception)
        {
            _lastFailure = exception;
            throw;
        }
        catch (FlowControlException)
        {
            // break, continue or exit: they leave this command as they leave ForEach-Object. The item did not fail and
            // did not finish: cancelling makes the engine leave it unfinished, so it runs again on the next run.
            WriteVerbose("The script block left the run with break, continue or exit; the item in flight stays unfinished and runs again on the next run.");
            _cancellation!.Cancel();
            throw;
        }
        catch (Exception exception) when (exception is PipelineStoppedException || Stopping)
        {
            // Ctrl+C can reach the script block before StopProcessing has cancelled the token: cancel it here so
            // that the engine leaves the item in flight instead of recording the stop as its failure.
            _cancellation!.Cancel();
            throw;
        }

        return ReplayOutput && _runner.Captured.Count > 0 ? OutputSerializer.Serialize(_runner.Captured) : null;
    }

    private ItemBatcher BatchesInCallersScope(CheckpointSession session)
    {
        var batches = new SequentialBatches(session, RunItem, ReportParallel, NotRun, _cancellation!.Token);
        return new ItemBatcher(BatchSize, session.IsSettled, batches.Single, batches.Run);
    }

    /// <summary>Runs a parallel or batch step; a checkpoint that cannot be written ends the run as in the sequential mode.</summary>
    private void RunStep(Action step)
    {
        try
        {
            step();
        }
        catch (CheckpointException exception)
        {
            _progress!.Complete();
            _parallel?.CompleteOnError();
            ThrowTerminatingError(ErrorRecords.ForCheckpoint(exception, _location!.FilePath));
        }
        catch (StopForLaterException stop)
        {
            // An item (of a batch, or in a runspace) asked to stop for later; those in flight have been recorded.
            _progress!.Complete();
            _parallel?.CompleteOnError();
            ThrowTerminatingError(ErrorRecords.StoppedForLater(stop, null));
        }
        catch (BlockLeftException left)
        {
            // break, continue or exit in a runspace: the item and those in flight stay unfinished, and the run ends.
            _progress!.Complete();
            _parallel?.CompleteOnError();
            ThrowTerminatingError(ErrorRecords.ScriptBlockLeft(left));
        }
    }

    private void ReportParallel(ItemOutcome outcome, PSObject? item, Exception? failure)
    {
        _lastFailure = failure;
        Report(outcome, item);
    }

    private void NotRun(PSObject? item, ArgumentException exception)
    {
        WriteError(ErrorRecords.KeyUnavailable(item, exception.Message, Key is not null, exception));
        NotRun();
    }

    private void Report(ItemOutcome outcome, PSObject? item)
    {
        switch (outcome.Kind)
        {
            case ItemOutcomeKind.Completed:
                break;
            case ItemOutcomeKind.Failed:
                var failure = _lastFailure;
                _lastFailure = null;
                WriteError(ErrorRecords.ItemFailed(item, outcome, failure));
                break;
            case ItemOutcomeKind.Poisoned:
                WriteError(ErrorRecords.ItemPoisoned(item, outcome));
                break;
            case ItemOutcomeKind.SkippedCompleted:
                _skippedCompleted++;
                NoteSkip();
                Replay(outcome);
                break;
            case ItemOutcomeKind.SkippedFailed:
                _skippedFailed++;
                NoteSkip();
                break;
            case ItemOutcomeKind.SkippedDuplicate:
                _skippedDuplicate++;
                NoteSkip();
                break;
        }
    }

    /// <summary>
    /// Skips are summed up, not listed: a resume over a photo library skips thousands of items, and a line each would
    /// bury every other message. A line every <see cref="SkipReportInterval"/> skips shows that a long resume moves.
    /// </summary>
    private void NoteSkip()
    {
        var skipped = _skippedCompleted + _skippedFailed + _skippedDuplicate;
        if (skipped % SkipReportInterval == 0)
        {
            WriteVerbose(Format("Skipped {0} items so far (done or failed in earlier runs, or repeated).", skipped));
        }
    }

    private void ReportSkips()
    {
        if (_skippedCompleted + _skippedFailed + _skippedDuplicate == 0)
        {
            return;
        }

        WriteVerbose(Format(
            "Skipped {0} item(s) completed in earlier runs, {1} that failed in earlier runs (use -RetryFailed to run them again) " +
            "and {2} whose key came earlier in this run.",
            _skippedCompleted,
            _skippedFailed,
            _skippedDuplicate));
    }

    private void Replay(ItemOutcome outcome)
    {
        if (!ReplayOutput)
        {
            return;
        }

        var saved = outcome.HasSavedOutput ? _session!.ReadSavedOutput(outcome.Key) : null;
        if (saved is null)
        {
            WriteVerbose(Format("No output was saved for '{0}' (it completed in a run without -ReplayOutput or wrote nothing).", outcome.Key));
            return;
        }

        foreach (var output in OutputSerializer.Deserialize(saved))
        {
            WriteObject(output);
        }
    }

    private void ReportRetry(RetryNotice notice)
        => WriteVerbose(Format(
            "Attempt {0} of {1} for '{2}' failed: {3} Trying again in {4:0.###} s.",
            notice.FailedAttemptInRun,
            notice.MaxAttempts,
            notice.Key,
            MessageText.Sentence(notice.Error.Message),
            notice.Delay.TotalSeconds));

    private void ReportResume(ResumeInfo resume)
    {
        if (resume.IsResume)
        {
            WriteVerbose(Format(
                "Resuming checkpoint '{0}' (run {1}, was {2}): {3} completed, {4} failed, {5} unfinished to run again{6}.",
                _location!.Name,
                resume.RunNumber,
                resume.PreviousState,
                resume.Completed,
                resume.Failed,
                Math.Max(0, resume.InFlight - _heldElsewhereAtStart),
                _heldElsewhereAtStart > 0 ? Format(", {0} held by other live workers", _heldElsewhereAtStart) : string.Empty));
        }
        else
        {
            WriteVerbose(Format("Started checkpoint '{0}' at '{1}'.", _location!.Name, _location.FilePath));
        }

        if (resume.RepairedTornRecord)
        {
            WriteVerbose("The checkpoint's last record was cut short by a crash and was dropped; that item runs again.");
        }

        if (resume.FingerprintChanged)
        {
            WriteWarning(Format(
                "The script block differs from the one that processed the {0} items already completed in checkpoint '{1}': " +
                "those were done by other code and are skipped. Use -Restart to process every item with this script block.",
                resume.Completed,
                _location!.Name));
        }
    }

    /// <summary>
    /// An item with no usable key was not run and has no place in the checkpoint. The checkpoint cannot say so, so it
    /// must not be removed as if every item completed: it is kept (KeepAtFinish), and the end of the run warns.
    /// </summary>
    private void NotRun()
    {
        _keyless++;
        _session!.KeepAtFinish();
    }

    private void ReportSummary(RunSummary summary)
    {
        ReportSkips();
        WriteVerbose(Format(
            "Checkpoint '{0}' {1}: {2} items seen, {3} completed, {4} failed, {5} skipped, {6} without a key (not run) in {7:0.0} s.{8}",
            summary.Name,
            summary.State,
            summary.Seen + _keyless,
            summary.Completed,
            summary.Failed,
            summary.Skipped,
            _keyless,
            summary.Elapsed.TotalSeconds,
            summary.CheckpointRemoved ? " Every item completed; the checkpoint was removed." : string.Empty));

        if (_keyless > 0)
        {
            WriteWarning(Format(
                "{0} item(s) had no key and were not run (see the KeyUnavailable errors). The checkpoint '{1}' is kept: " +
                "it records only the items that had a key, so it does not show that these are missing.",
                _keyless,
                summary.Name));
        }

        if (summary.FailedInCheckpoint > 0)
        {
            var command = HintTarget(summary);
            WriteWarning(Format(
                "{0} item(s) failed in checkpoint '{1}' ({2} in this run). See them with 'Get-CheckpointItem {3} -State Failed'; " +
                "run the same command with -RetryFailed to try them again.",
                summary.FailedInCheckpoint,
                summary.Name,
                summary.Failed,
                command));
        }

        WarnIfSuspended(summary);
    }

    /// <summary>How the checkpoint is named again in a hint: its path, or its name, with -Store if one was given (never its value: a password).</summary>
    private string HintTarget(RunSummary summary)
        => ParameterSetName == ByPath ? Format("-Path '{0}'", summary.FilePath)
            : MyInvocation.BoundParameters.ContainsKey(nameof(Store)) ? summary.Name + " -Store <the same store>"
            : summary.Name;

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
