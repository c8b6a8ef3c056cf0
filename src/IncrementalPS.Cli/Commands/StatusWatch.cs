using System;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>incps status &lt;name&gt; --watch</c>: follows a live run started elsewhere with the run's own progress bar (done/total,
/// failed, rate, ETA), refreshed every second, until the run ends; then writes the final status as <c>incps status</c>
/// does. Read-only like status: never the lock, never a write. Ctrl+C stops watching, not the run.
/// </summary>
internal static class StatusWatch
{
    public static int Run(CheckpointTarget target, ParseResult result, bool json, Action<CheckpointStatus> writeDetails)
    {
        if (target.IsEmpty(result))
        {
            throw new UsageException("--watch follows one checkpoint: give its name (or --path).");
        }

        var location = target.ResolveRun(result, out var database);
        using var stop = new CancellationTokenSource();
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => Stop(context, stop));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => Stop(context, stop));
        if (database is not null)
        {
            if (json)
            {
                throw new UsageException("a PostgreSQL store shows its status as text: use --watch without --json.");
            }

            var shared = Follow(location.Name, () => PostgresStatusReader.Read(database, location.Name), s => s.LiveWorkers.Count > 0, CheckpointWatch.ToProgress, stop.Token);
            if (shared is null)
            {
                return Gone(location, stop.IsCancellationRequested);
            }

            SharedStatusView.Write(shared, Console.Out);
            return ExitCodes.Success;
        }

        var status = Follow(location.Name, () => CheckpointInspector.ReadStatus(location), s => s.State == CheckpointState.Running, CheckpointWatch.ToProgress, stop.Token);
        if (status is null)
        {
            return Gone(location, stop.IsCancellationRequested);
        }

        if (json)
        {
            JsonOutput.Write(JsonOutput.FromStatus(status), c => c.StatusJson);
        }
        else
        {
            writeDetails(status);
        }

        return ExitCodes.Success;
    }

    /// <summary>The final status; null when the watch was stopped or the run removed its checkpoint.</summary>
    private static T? Follow<T>(string name, Func<T> read, Func<T, bool> isLive, Func<T, RunProgress> progress, CancellationToken stopping)
        where T : class
    {
        // The first reading decides whether there is anything to follow: a checkpoint that is not running is shown at once.
        var first = read();
        if (!isLive(first))
        {
            return first;
        }

        var latest = progress(first);
        T? final = null;
        ProgressViews.ForStandardError().Show(name, () => Volatile.Read(ref latest), () =>
        {
            try
            {
                final = CheckpointWatch.Follow(read, isLive, s => Volatile.Write(ref latest, progress(s)), CheckpointWatch.DefaultInterval, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // Ctrl+C: the watcher leaves; the run goes on.
            }
            catch (CheckpointNotFoundException)
            {
                // Seen live at the first reading, gone since: its run completed every item and removed it.
            }
        });
        return final;
    }

    private static int Gone(CheckpointLocation location, bool stopped)
    {
        if (stopped)
        {
            CliConsole.Message($"stopped watching '{location.Name}'; its run goes on.");
            return ExitCodes.Interrupted;
        }

        CliConsole.Message($"the run of '{location.Name}' ended and removed its checkpoint: every item completed.");
        return ExitCodes.Success;
    }

    private static void Stop(PosixSignalContext context, CancellationTokenSource stop)
    {
        context.Cancel = true;
        stop.Cancel();
    }
}
