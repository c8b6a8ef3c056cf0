using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Channels;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// Runs the command once per input item under a checkpoint: one thread reads the input into a channel bounded by
/// the number of jobs (memory does not grow with the input), and that many workers hand items to the engine, which
/// skips what is done and records every result before the worker takes the next item.
/// </summary>
internal sealed class JobRunner
{
    private static readonly TimeSpan s_signalGrace = TimeSpan.FromSeconds(1);

    private readonly JobSettings _settings;
    private readonly IProgressView _view;
    // When standard output is the terminal the live bar draws on, the command's lines must be printed above the bar
    // by the view (on standard error, the same terminal) or they would tear it. Otherwise they pass straight through.
    private readonly bool _stdoutThroughView;
    private Exception? _fatal;
    private StopForLaterException? _stoppedForLater;
    // Items whose key the store cannot hold (a NUL character in a PostgreSQL store): not run, not recorded.
    private long _notRecordable;

    /// <summary>Creates the runner.</summary>
    public JobRunner(JobSettings settings, IProgressView view)
    {
        _settings = settings;
        _view = view;
        _stdoutThroughView = view.IsLive && !Console.IsOutputRedirected;
    }

    /// <summary>Runs the job; returns the exit code (see <see cref="ExitCodes"/>). Checkpoint errors propagate before anything runs.</summary>
    public int Run()
    {
        var options = _settings.Options;
        options.DescribeError = ItemErrors.Describe;
        options.OnRetry = notice => CliConsole.Message(
            $"retrying {CliFormat.Key(notice.Key)} in {CliFormat.Duration(notice.Delay)} (attempt {notice.FailedAttemptInRun} of {notice.MaxAttempts} failed: {CliFormat.FirstLine(notice.Error.Message)})");

        using var signals = new TerminationSignals();
        if (WindowsJobObject.KillChildrenWithThisProcess() is { } jobError)
        {
            CliConsole.Warning($"the commands will outlive incps if it is killed (no job object: {jobError}).");
        }

        RunSummary? summary = null;
        RunProgress? progress = null;
        try
        {
            using var session = _settings.Database is { } database
                ? PostgresCheckpoint.Start(database, _settings.Location, options, _settings.Lease)
                : CheckpointSession.Start(_settings.Location, options);
            ReportStart(session.Resume);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(signals.Token);
            _view.Show(_settings.Location.Name, session.PeekProgress, () => ProcessAll(session, stop));
            progress = session.GetProgress();
            if (_fatal is null && !signals.Received && _stoppedForLater is null)
            {
                try
                {
                    summary = session.Finish();
                }
                catch (CheckpointException ex)
                {
                    _fatal = ex;
                }
            }

            // Without Finish, Dispose (by the using) records the run as interrupted.
        }
        catch (CheckpointException late) when (_fatal is not null)
        {
            // Recording the run's end failed too (the same full disk, most likely): the first error is the cause.
            CliConsole.Message("also: " + late.Message);
        }
        finally
        {
            // The checkpoint is saved (or its error known): a console-close handler may let Windows end incps now.
            signals.RunStopped();
        }

        if (_fatal is not null)
        {
            return StoppedByError(_fatal, progress!);
        }

        if (_stoppedForLater is not null && !signals.Received)
        {
            return StoppedForLater(_stoppedForLater, progress!);
        }

        if (summary is null)
        {
            CliConsole.Message(
                $"interrupted: {progress!.Completed} completed and {progress.Failed} failed in this run; the checkpoint is saved. " +
                "Run the same command again to resume.");
            return ExitCodes.Interrupted;
        }

        return ReportEnd(summary);
    }

    /// <summary>
    /// The run started, then the checkpoint or the input failed: what was recorded stays, so this is not "nothing was
    /// changed" (exit 2) but its own exit code. Anything else is a bug and propagates as one.
    /// </summary>
    private static int StoppedByError(Exception fatal, RunProgress progress)
    {
        if (fatal is not (CheckpointException or IOException or UnauthorizedAccessException))
        {
            ExceptionDispatchInfo.Capture(fatal).Throw();
        }

        var what = fatal is CheckpointException ? fatal.Message : "reading the input failed: " + fatal.Message;
        if (fatal is CheckpointNotFoundException)
        {
            // The checkpoint went (a forced reset from elsewhere): nothing of this run is kept, and the message says what to do.
            CliConsole.Message($"stopped by an error after the run started: {what}");
            return ExitCodes.StoppedByError;
        }

        CliConsole.Message(
            $"stopped by an error after the run started: {what} " +
            $"{progress.Completed} completed and {progress.Failed} failed in this run were recorded and are kept; " +
            "fix the cause and run the same command again to resume.");
        return ExitCodes.StoppedByError;
    }

    /// <summary>A command asked to stop for later: the run ends as interrupted (its input was not read to the end), with its own exit code.</summary>
    private static int StoppedForLater(StopForLaterException stop, RunProgress progress)
    {
        CliConsole.Message(
            $"stopped for later: {stop.Message}. {progress.Completed} completed and {progress.Failed} failed in this run were recorded; " +
            "the item(s) left unfinished and the rest of the input run when the same command runs again.");
        return ExitCodes.StoppedForLater;
    }

    private void ProcessAll(CheckpointSession session, CancellationTokenSource stop)
    {
        // A shared store's result rides with the next item's claim: a few lines read ahead keep the next item there.
        var channel = Channel.CreateBounded<string>(new BoundedChannelOptions(Pipelined ? ReadAhead : _settings.Jobs) { SingleWriter = true });
        // Reading standard input blocks without a way to cancel it: the reader is a background thread that is never
        // waited for, so a signal stops the run even while the input is still open.
        var reader = new Thread(() => Feed(channel.Writer, stop)) { IsBackground = true, Name = "incps input" };
        reader.Start();

        // Cancelled to start no new item (a command asked to stop for later) while the ones in flight finish.
        using var intake = CancellationTokenSource.CreateLinkedTokenSource(stop.Token);
        var workers = Enumerable.Range(0, _settings.Jobs)
            .Select(i => new Thread(() => Work(channel.Reader, session, stop, intake)) { Name = "incps job " + (i + 1).ToString(CultureInfo.InvariantCulture) })
            .ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        SettlePipelined(session);
        ProcessHeld(session, stop);
    }

    /// <summary>A store shared with other workers: the items they held are waited for, and run here if their holder dies.</summary>
    private void ProcessHeld(CheckpointSession session, CancellationTokenSource stop)
    {
        if (_fatal is not null || stop.IsCancellationRequested || _stoppedForLater is not null || session.HeldElsewhere == 0)
        {
            return;
        }

        try
        {
            session.ProcessHeld(Report, stop.Token);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Stopping: a held item that this run had taken over is left in flight, to run again.
        }
        catch (StopForLaterException ex)
        {
            // A taken-over item's command asked to stop for later: the engine has left it unfinished.
            Interlocked.CompareExchange(ref _stoppedForLater, ex, null);
        }
        catch (CheckpointException ex)
        {
            Interlocked.CompareExchange(ref _fatal, ex, null);
        }
    }

    private void Feed(ChannelWriter<string> writer, CancellationTokenSource stop)
    {
        try
        {
            foreach (var item in InputReader.ReadItems(_settings.Input, _settings.NullSeparated))
            {
                writer.WriteAsync(item, stop.Token).AsTask().GetAwaiter().GetResult();
            }

            writer.TryComplete();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            writer.TryComplete();
        }
        catch (Exception ex)
        {
            // Reading the input failed: hand the error to the workers, which stop the run with it.
            writer.TryComplete(ex);
        }
    }

    private void Work(ChannelReader<string> items, CheckpointSession session, CancellationTokenSource stop, CancellationTokenSource intake)
    {
        // A request to suspend ends the wait for input as a stop does, but the item in hand runs to its end (it gets
        // stop.Token only): nothing new starts, and what is in flight is recorded. A stop for later cancels intake.
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(intake.Token, session.Suspending);
        try
        {
            var window = Pipelined ? new ReadAheadWindow<string>(ReadAhead) : null;
            while (items.WaitToReadAsync(wake.Token).AsTask().GetAwaiter().GetResult())
            {
                if (window is not null)
                {
                    ProcessWindow(items, window, session, wake.Token, stop.Token);
                    continue;
                }

                while (!wake.IsCancellationRequested && items.TryRead(out var item))
                {
                    ProcessItem(session, item, stop.Token);
                }
            }
        }
        catch (OperationCanceledException) when (wake.IsCancellationRequested || stop.IsCancellationRequested)
        {
            // The stop is asked for before the tokens linked to it hear of it, so a command stopped by it can end
            // while wake is not cancelled yet: a stop all the same (SignalTests met it in CI as "failed unexpectedly").
            // Stopping: the engine has left the item in flight, to run again on resume. Or stopping for later: no new
            // item is taken, and the ones in flight on other workers finish. Suspending: nothing was left.
        }
        catch (StopForLaterException ex)
        {
            // The engine has left the item unfinished. The first request is the one reported.
            Interlocked.CompareExchange(ref _stoppedForLater, ex, null);
            intake.Cancel();
        }
        catch (Exception ex)
        {
            // The input or the checkpoint failed: stop the other workers and report it once they are done.
            Interlocked.CompareExchange(ref _fatal, ex, null);
            stop.Cancel();
        }
    }

    private void ProcessItem(CheckpointSession session, string item, CancellationToken stopping)
    {
        try
        {
            Report(session.Process(ItemKey.Bounded(item), _ => RunCommand(item, stopping), stopping));
        }
        catch (ItemKeyRefusedException ex)
        {
            NotRecordable(session, ex);
        }
    }

    /// <summary>
    /// The engine refused the item's key before anything ran (the store cannot hold it): that item's error, not the
    /// run's. The checkpoint is kept, since the input was not all done, and the run ends with exit code 1.
    /// </summary>
    private void NotRecordable(CheckpointSession session, ItemKeyRefusedException refused)
    {
        Interlocked.Increment(ref _notRecordable);
        session.KeepAtFinish();
        CliConsole.Message($"not run: {refused.Message}");
    }

    /// <summary>
    /// A shared store, one job: the items read so far, one after another, each with the keys of those read after it,
    /// so that the store claims several in one trip and each result rides with the next item's trip. When no next item
    /// is there to carry the last result, it is committed at once rather than while the input waits.
    /// </summary>
    private void ProcessWindow(ChannelReader<string> items, ReadAheadWindow<string> window, CheckpointSession session, CancellationToken wake, CancellationToken stopping)
    {
        while (!wake.IsCancellationRequested)
        {
            while (!window.IsFull && items.TryRead(out var read))
            {
                window.Add(read, ItemKey.Bounded(read));
            }

            if (!window.TryTake(out var item, out var key))
            {
                break;
            }

            // The window's keys are those after this item: the store reads them during this call only.
            IReadOnlyList<ItemOutcome> outcomes;
            try
            {
                outcomes = session.ProcessPipelined(key, window.Keys, _ => RunCommand(item, stopping), stopping);
            }
            catch (ItemKeyRefusedException ex)
            {
                NotRecordable(session, ex);
                continue;
            }

            foreach (var outcome in outcomes)
            {
                Report(outcome);
            }
        }

        // Not the end of the run: a refused result throws, and Work stops the run with it as with any other.
        foreach (var outcome in session.SettlePipelined())
        {
            Report(outcome);
        }
    }

    /// <summary>A shared store and one job at a time: each result is committed with the next claim (one caller only).</summary>
    private bool Pipelined => _settings.Database is not null && _settings.Jobs == 1;

    /// <summary>How many lines a shared-store worker reads ahead: the next items it can claim in the same trip.</summary>
    private const int ReadAhead = PostgresRunStore.ClaimAhead;

    /// <summary>Commits the results the last items left for the next claim, reporting them; a refused one stops the run.</summary>
    private void SettlePipelined(CheckpointSession session)
    {
        if (!Pipelined || _fatal is not null)
        {
            return;
        }

        try
        {
            foreach (var outcome in session.SettlePipelined())
            {
                Report(outcome);
            }
        }
        catch (CheckpointException ex)
        {
            Interlocked.CompareExchange(ref _fatal, ex, null);
        }
    }

    private static void Report(ItemOutcome outcome)
    {
        switch (outcome.Kind)
        {
            case ItemOutcomeKind.Failed:
                var attempts = outcome.Attempts > 1 ? $" after {outcome.Attempts} attempts" : string.Empty;
                CliConsole.Message($"failed{attempts}: {CliFormat.Key(outcome.Key)}: {CliFormat.FirstLine(outcome.Error?.Message)}");
                break;
            case ItemOutcomeKind.Poisoned:
                CliConsole.Message($"gave up on {CliFormat.Key(outcome.Key)}: {CliFormat.FirstLine(outcome.Error?.Message)}");
                break;
            default:
                break;
        }
    }

    private string? RunCommand(string item, CancellationToken stopping)
    {
        if (item.Contains('\0', StringComparison.Ordinal))
        {
            // An argument ends at its first NUL: the command would silently get only the first part of the item.
            throw new CommandFailedException("the item contains a NUL character, which cannot be passed as an argument; for NUL-separated input use -0/--null");
        }

        var commandLine = _settings.Command.Expand(item);
        if (_settings.Program is string program)
        {
            commandLine = commandLine.Skip(1).Prepend(program).ToList();
        }

        // --timeout: the same kill as a stop (the command and everything it started), on a timer of the item's own.
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        if (_settings.Timeout is TimeSpan timeout)
        {
            timer.CancelAfter(timeout);
        }

        ChildProcessResult result;
        try
        {
            result = ChildProcessRunner.Run(commandLine, CliConsole.WriteLine, _stdoutThroughView ? CliConsole.WriteLine : null, timer.Token);
        }
        catch (Win32Exception ex)
        {
            throw new CommandFailedException($"could not start '{commandLine[0]}': {ex.Message}", ex);
        }

        if (result.ExitCode == _settings.StopExitCode && !stopping.IsCancellationRequested)
        {
            throw new StopForLaterException($"the command for '{item}' exited {result.ExitCode} (--stop-exit-code)");
        }

        switch (CommandExit.Classify(result.ExitCode, stopping.IsCancellationRequested, timer.IsCancellationRequested))
        {
            case CommandExitMeaning.Succeeded:
                return null;
            case CommandExitMeaning.TimedOut:
                throw new CommandTimedOutException(_settings.Timeout!.Value);
            case CommandExitMeaning.PossiblyInterrupted:
                // Ctrl+C in a terminal signals the whole process group (on Windows, every process on the console): the
                // command may die of it before incps's own handler has run. Give the handler a moment, so that the item
                // is left in flight, not recorded as failed.
                stopping.WaitHandle.WaitOne(s_signalGrace);
                break;
            default:
                break;
        }

        // Killed because the run is stopping, or ended while it stopped: not the item's result. The engine leaves it in flight.
        stopping.ThrowIfCancellationRequested();
        throw new CommandFailedException(result.ExitCode, result.StderrTail);
    }

    private void ReportStart(ResumeInfo resume)
    {
        if (resume.RepairedTornRecord)
        {
            CliConsole.Message("the checkpoint's last record was cut short by a crash; it was dropped and the file repaired.");
        }

        if (!resume.IsResume)
        {
            return;
        }

        var failed = resume.Failed > 0 && !_settings.Options.RetryFailed
            ? $"; {resume.Failed} failed item(s) are skipped (add --retry-failed to run them again)"
            : string.Empty;
        // Items that other live workers hold are busy, not unfinished: a joining worker must not report them as left behind.
        var held = _settings.Database is { } database ? PostgresStatusReader.HeldByOtherWorkers(database, _settings.Location.Name, resume.RunNumber) : 0;
        var busy = held > 0 ? $", {held} held by other live workers" : string.Empty;
        CliConsole.Message(
            $"resuming '{_settings.Location.Name}' (run {resume.RunNumber}): {resume.Completed} completed, {resume.Failed} failed, " +
            $"{Math.Max(0, resume.InFlight - held)} unfinished (these run again){busy}{failed}.");
        if (resume.FingerprintChanged)
        {
            CliConsole.Warning("the command differs from the one that processed the earlier items; items already done are not run again. Use --restart to start over.");
        }
    }

    private int ReportEnd(RunSummary summary)
    {
        // Failed items skipped are not "done": they are named apart, with how to run them again at the end.
        var skippedDone = summary.Skipped - summary.SkippedFailed;
        var skipped = (skippedDone > 0 ? $", {skippedDone} skipped (done before)" : string.Empty) +
            (summary.SkippedFailed > 0 ? $", {summary.SkippedFailed} skipped (failed before)" : string.Empty);
        var notRecordable = Interlocked.Read(ref _notRecordable);
        var notRun = notRecordable > 0 ? $", {notRecordable} not run (a key the store cannot hold, above)" : string.Empty;
        var counts = $"{summary.Completed} completed, {summary.Failed} failed{skipped}{notRun} in {CliFormat.Duration(summary.Elapsed)}";
        switch (summary.State)
        {
            case CheckpointState.Completed when notRecordable > 0:
                CliConsole.Message($"finished with items not run: {counts}; checkpoint kept in {summary.FilePath}.");
                return ExitCodes.ItemsFailed;
            case CheckpointState.Completed:
                var kept = summary.CheckpointRemoved ? "checkpoint removed" : $"checkpoint kept in {summary.FilePath}";
                CliConsole.Message($"done: {counts}; {kept}.");
                return ExitCodes.Success;
            case CheckpointState.Failed:
                CliConsole.Message(
                    $"finished with failures: {counts}; {summary.FailedInCheckpoint} item(s) failed in the checkpoint. " +
                    $"List them with 'incps items {_settings.HintName} --state failed', run them again with --retry-failed.");
                return ExitCodes.ItemsFailed;
            case CheckpointState.Suspended:
                CliConsole.Message(
                    $"suspended on request: {counts}; the items in flight were recorded and nothing new was started. " +
                    $"Run the same command again to resume; 'incps status {_settings.HintName}' shows it Suspended until then.");
                return ExitCodes.Suspended;
            default:
                CliConsole.Message(
                    $"finished with items left unfinished: {counts}. Run the job again to process them, " +
                    $"or see 'incps items {_settings.HintName} --state inflight'.");
                return ExitCodes.ItemsFailed;
        }
    }
}
