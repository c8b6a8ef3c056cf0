using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using IncrementalPS.Core;
using IncrementalPS.Running.Batching;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// Runs Invoke-Incremental's items n at a time (-ThrottleLimit), each in a pooled runspace, through the same
/// checkpoint session as the sequential mode: skips, retries, poison items and recording are the engine's, unchanged.
/// </summary>
/// <remarks>
/// <para>
/// Each admitted item gets a thread of its own that calls <see cref="CheckpointSession.Process"/> (safe from several
/// threads; the engine records each result before it returns). The work delegate takes a runspace only for the
/// length of one attempt, so an item waiting out -RetryDelay holds a thread but no runspace; and it does not count
/// against the limit (<see cref="_active"/>), so the pipeline thread admits another item in its place, up to twice the
/// limit admitted and unfinished (<see cref="_outstanding"/>). Items to skip are decided on the pipeline thread.
/// </para>
/// <para>
/// The pipeline thread admits items in <see cref="Submit"/> and waits for the rest in <see cref="Drain"/>; while it
/// waits it writes what the workers queued (<see cref="PipelineQueue"/>) and redraws the progress bar. Stopping
/// (Ctrl+C, a downstream Select-Object -First, a terminating error) cancels every item: each runspace's pipeline is
/// stopped, and the engine leaves those items in flight, so they run again on resume.
/// </para>
/// </remarks>
internal sealed class ParallelRun : IDisposable
{
    // How long Dispose waits for stopped items to hand back their threads: a block stuck in a call that cannot be
    // stopped must not hang Ctrl+C. An item still running after it is recorded as interrupted by the engine.
    private static readonly TimeSpan StopWait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan PumpWait = TimeSpan.FromMilliseconds(100);

    [ThreadStatic]
    private static ParallelItemState? t_item;

    private readonly int _throttleLimit;
    private readonly bool _captureOutput;
    private readonly CancellationTokenSource _stop;
    private readonly PipelineQueue _queue = new();
    private readonly RunspaceSlots _slots;
    private readonly RunspaceScript _script;
    private readonly ParallelProgressView _view;
    private readonly Action<ItemOutcome, PSObject?, Exception?> _report;
    private readonly Action<PSObject?, ArgumentException> _keyRefused;
    private readonly ManualResetEventSlim _allReturned = new(initialState: true);
    private readonly object _countGate = new();
    private CheckpointSession? _session;
    private StopForLaterException? _stoppedForLater;
    private BlockLeftException? _blockLeft;
    private int _active;
    private int _outstanding;
    private bool _disposed;

    public ParallelRun(
        PSCmdlet cmdlet,
        ScriptBlock process,
        ParallelSettings settings,
        string checkpointName,
        Action<ItemOutcome, PSObject?, Exception?> report,
        Action<PSObject?, ArgumentException> keyRefused,
        CancellationToken stopping)
    {
        _throttleLimit = settings.ThrottleLimit;
        _captureOutput = settings.CaptureOutput;
        _report = report;
        _keyRefused = keyRefused;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var usingValues = UsingValues.Collect(process, cmdlet);
        _slots = new RunspaceSlots(_throttleLimit, cmdlet.SessionState.Path.CurrentFileSystemLocation.ProviderPath, CallerPreferences.Read(cmdlet));
        _view = new ParallelProgressView(cmdlet, checkpointName, _throttleLimit, () => _slots.Busy);
        _script = new RunspaceScript(process, usingValues, cmdlet, _queue, _view, settings.Timeout);
    }

    /// <summary>The progress sink to give the engine.</summary>
    public IProgress<RunProgress> Progress => _view;

    /// <summary>The engine's OnRetry for this run: the item stops counting against the limit while it waits.</summary>
    public Action<RetryNotice> OnRetry(Action<RetryNotice>? report)
        => notice =>
        {
            if (t_item is { Waiting: false } item)
            {
                item.Waiting = true;
                Interlocked.Decrement(ref _active);
            }

            if (report is not null)
            {
                _queue.Post(() => report(notice));
            }
        };

    /// <summary>Connects the run's session, once the checkpoint is open.</summary>
    public void Start(CheckpointSession session)
    {
        _session = session;
        _view.Attach(session.GetProgress);
    }

    /// <summary>
    /// Hands one item to a worker as soon as fewer than the throttle limit are running, writing what the running
    /// ones produced meanwhile. On the pipeline thread.
    /// </summary>
    /// <exception cref="PipelineStoppedException">The run is stopping.</exception>
    /// <exception cref="CheckpointException">Recording an item failed.</exception>
    public void Submit(string key, PSObject? item)
    {
        ThrowIfStoppedForLater();
        if (_session!.IsSettled(key))
        {
            // A skip runs nothing: decided here, without a thread (a resumed run skips thousands).
            WriteQueued();
            var outcome = _session.Process(key, _ => throw new InvalidOperationException($"The settled item '{key}' was run."), _stop.Token);
            _report(outcome, item, null);
            return;
        }

        if (_session.HasDied(key))
        {
            RunAlone(state => RunItem(state, key, item));
            return;
        }

        Admit(state => RunItem(state, key, item));
    }

    /// <summary>As <see cref="Submit"/>, for a batch (-BatchSize): $_ is the array of the items still to do.</summary>
    public void SubmitBatch(IReadOnlyList<string> keys, IReadOnlyList<PSObject?> items)
    {
        ThrowIfStoppedForLater();
        var died = false;
        foreach (var key in keys)
        {
            died |= _session!.HasDied(key);
        }

        if (died)
        {
            RunAlone(state => RunBatch(state, keys, items));
            return;
        }

        Admit(state => RunBatch(state, keys, items));
    }

    /// <summary>
    /// Runs an item the process died running before with nothing else in flight: a death counts against every item in
    /// flight, so a poison item run beside others would take them past the poison threshold with it.
    /// </summary>
    private void RunAlone(Action<ParallelItemState> body)
    {
        WaitForAll();
        Admit(body);
        WaitForAll();
    }

    private void WaitForAll()
    {
        while (!_allReturned.IsSet)
        {
            Pump();
        }
    }

    /// <summary>Waits for the stopped items' threads without writing (the run is ending with an error).</summary>
    private void WaitForAllQuietly() => _allReturned.Wait(StopWait);

    private void Admit(Action<ParallelItemState> body)
    {
        // Items waiting out -RetryDelay do not count against the limit, but they are in flight: a kill -9 re-runs
        // them. At most twice the limit are admitted and unfinished, so a kill re-runs at most that many.
        while (Volatile.Read(ref _active) >= _throttleLimit || Volatile.Read(ref _outstanding) >= 2 * _throttleLimit)
        {
            Pump();
            ThrowIfStoppedForLater();
        }

        Interlocked.Increment(ref _active);
        lock (_countGate)
        {
            _outstanding++;
            _allReturned.Reset();
        }

        Task.Factory.StartNew(() => RunWorker(body), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        WriteQueued();
    }

    /// <summary>Waits for every admitted item to be recorded, writing what they produce. On the pipeline thread.</summary>
    /// <exception cref="PipelineStoppedException">The run is stopping.</exception>
    /// <exception cref="CheckpointException">Recording an item failed.</exception>
    public void Drain()
    {
        WaitForAll();

        // The last items' results were queued before they counted as returned.
        WriteQueued();
        _view.Tick(force: true);
        ThrowIfStoppedForLater();
    }

    /// <summary>
    /// Once an item asked to stop for later, no new item starts: the ones in flight finish and are recorded (their
    /// output and errors written), then the request ends the run. On the pipeline thread.
    /// </summary>
    private void ThrowIfStoppedForLater()
    {
        if (Volatile.Read(ref _blockLeft) is { } left)
        {
            // The items in flight were stopped: nothing of theirs is left to write.
            WaitForAllQuietly();
            throw left;
        }

        if (Volatile.Read(ref _stoppedForLater) is not { } stop)
        {
            return;
        }

        WaitForAll();
        WriteQueued();
        throw stop;
    }

    /// <summary>Completes the bar while an error escapes the cmdlet.</summary>
    public void CompleteOnError() => _view.CompleteOnError();

    /// <summary>Stops writing: the pipeline is ending.</summary>
    public void Detach() => _view.Detach();

    /// <summary>Stops every item still running (they stay in flight, to run again on resume) and closes the runspaces.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _view.Detach();
        _stop.Cancel();
        var allReturned = _allReturned.Wait(StopWait);
        _slots.Dispose();
        if (allReturned)
        {
            // A worker still stuck in its item reads the token when it comes back: it must stay usable until then.
            _stop.Dispose();
            _allReturned.Dispose();
            _queue.Dispose();
        }
    }

    private void Pump()
    {
        try
        {
            _queue.RunQueued(PumpWait, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            if (Volatile.Read(ref _blockLeft) is { } left)
            {
                throw left;
            }

            throw new PipelineStoppedException();
        }

        _view.Tick();
    }

    private void WriteQueued()
    {
        while (_queue.RunQueued(TimeSpan.Zero, CancellationToken.None))
        {
        }

        _view.Tick();
    }

    /// <summary>One item or batch on its own thread: the engine decides, runs and records; the pipeline thread reports.</summary>
    private void RunWorker(Action<ParallelItemState> body)
    {
        var state = new ParallelItemState();
        t_item = state;
        try
        {
            body(state);
        }
        catch (Exception) when (_stop.IsCancellationRequested)
        {
            // Stopped: the engine left the item in flight (or it never started); it runs again on resume.
        }
        catch (StopForLaterException stop)
        {
            // The engine left the item unfinished; the pipeline thread ends the run once the others are done.
            Interlocked.CompareExchange(ref _stoppedForLater, stop, null);
        }
        catch (Exception exception)
        {
            // A checkpoint that cannot be written ends the run, on the pipeline thread as in the sequential mode.
            var captured = ExceptionDispatchInfo.Capture(exception);
            _queue.Post(captured.Throw);
        }
        finally
        {
            t_item = null;
            if (!state.Waiting)
            {
                Interlocked.Decrement(ref _active);
            }

            lock (_countGate)
            {
                if (--_outstanding == 0)
                {
                    _allReturned.Set();
                }
            }

            // Wakes the pipeline thread, which may be waiting for a free place or for the last item.
            _queue.Post(static () => { });
        }
    }

    private void RunItem(ParallelItemState state, string key, PSObject? item)
    {
        ItemOutcome outcome;
        try
        {
            outcome = _session!.Process(key, _ => Attempt(state, item), _stop.Token);
        }
        catch (ItemKeyRefusedException exception) when (!_stop.IsCancellationRequested)
        {
            _queue.Post(() => _keyRefused(item, exception));
            return;
        }

        var failure = state.Failure;
        _queue.Post(() => _report(outcome, item, failure));
    }

    private void RunBatch(ParallelItemState state, IReadOnlyList<string> keys, IReadOnlyList<PSObject?> items)
    {
        IReadOnlyList<ItemOutcome> outcomes;
        try
        {
            outcomes = _session!.ProcessBatch(keys, attempt => Attempt(state, BatchInput.Of(items, attempt.Positions)), _stop.Token);
        }
        catch (ItemKeyRefusedException exception) when (!_stop.IsCancellationRequested)
        {
            _queue.Post(() =>
            {
                foreach (var item in items)
                {
                    _keyRefused(item, exception);
                }
            });
            return;
        }

        var failure = state.Failure;
        _queue.Post(() =>
        {
            for (var i = 0; i < outcomes.Count; i++)
            {
                _report(outcomes[i], items[i], failure);
            }
        });
    }

    private string? Attempt(ParallelItemState state, object? input)
    {
        if (state.Waiting)
        {
            state.Waiting = false;
            Interlocked.Increment(ref _active);
        }

        state.Failure = null;
        List<PSObject>? captured;
        var written = new WrittenOutput();
        var pooled = _slots.Take(_stop.Token);
        try
        {
            captured = _script.Run(pooled, input, _captureOutput, written, _stop.Token);
        }
        catch (ScriptBlockFailedException exception) when (StopRequest.Find(exception) is { } stop)
        {
            // Not the item's failure: the engine leaves it unfinished (RunWorker takes it from there).
            throw stop;
        }
        catch (ScriptBlockFailedException exception)
        {
            state.Failure = exception;
            throw;
        }
        catch (BlockLeftException left)
        {
            // Neither failed nor finished: as in the sequential mode, the item stays unfinished (the engine leaves it so
            // when the run is stopping) and the run ends; it runs again on the next run. The pipeline thread ends the
            // run with the error (a runspace's break cannot leave the caller's loop).
            Interlocked.CompareExchange(ref _blockLeft, left, null);
            _stop.Cancel();
            throw new OperationCanceledException(_stop.Token);
        }
        finally
        {
            _slots.Return(pooled);
        }

        // As the sequential mode writes an item's output before the engine records it: an item whose output a stop
        // dropped (Ctrl+C, a downstream Select-Object -First) stays in flight, never recorded completed.
        written.WaitAll(_stop.Token);
        return captured is { Count: > 0 } ? OutputSerializer.Serialize(captured) : null;
    }
}
