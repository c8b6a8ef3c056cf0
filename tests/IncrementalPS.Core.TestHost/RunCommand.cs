using System;
using System.Diagnostics;
using System.Threading;

namespace IncrementalPS.Core.TestHost;

/// <summary>Runs items item-0000 … item-(count-1); each item's work appends its key to the side-effect log and sleeps.</summary>
internal static class RunCommand
{
    // Set as Finish is called: --die-at-close-flush kills the process in the close's flush, not in an earlier one.
    private static bool s_finishing;

    public static int Execute(RunArguments args)
    {
        var options = new RunOptions
        {
            Writer = "IncrementalPS.Core.TestHost",
            Durability = args.Durability,
            Keep = args.Keep,
            TotalCount = args.Count,
            MaxAttempts = args.MaxAttempts,
            RetryDelay = TimeSpan.FromMilliseconds(args.RetryDelayMilliseconds),
            MaxRetryDelay = TimeSpan.FromMilliseconds(Math.Max(args.RetryDelayMilliseconds, 1)),
            // Told before the wait: a test that sees this line and kills the host kills it during the wait.
            OnRetry = notice =>
            {
                Console.Out.WriteLine($"retrying {notice.Key}");
                Console.Out.Flush();
            },
        };
        if (args.PoisonThreshold is int threshold)
        {
            options.PoisonThreshold = threshold;
        }

        var output = args.OutputChars > 0 ? new string('o', args.OutputChars) : null;
        using var log = new SideEffectLog(args.SideEffectLog);
        using var session = args.CompactEvery > 0
            ? StartCompactingEvery(args.CompactEvery, CheckpointLocation.FromPath(args.CheckpointPath), options)
            : args.DieAtCloseFlush
            ? StartDyingAtCloseFlush(CheckpointLocation.FromPath(args.CheckpointPath), options)
            : CheckpointSession.Start(CheckpointLocation.FromPath(args.CheckpointPath), options);
        Console.Out.WriteLine($"ready {Environment.ProcessId}");
        Console.Out.Flush();

        for (var i = 0; i < args.Count; i++)
        {
            if (args.DieAtSeen == i + 1)
            {
                KillSelf();
            }

            var key = RunArguments.KeyOf(i);
            session.Process(key, attempt =>
            {
                log.Append(attempt.Key);
                if (attempt.Key == args.PoisonKey)
                {
                    KillSelf();
                }

                if (attempt.AttemptInRun <= args.FailAttemptsInRun)
                {
                    throw new InvalidOperationException($"attempt {attempt.AttemptInRun} of {attempt.Key} fails on purpose");
                }

                if (args.SleepMilliseconds > 0)
                {
                    Thread.Sleep(args.SleepMilliseconds);
                }

                return output;
            });
        }

        // The crash tests kill the process during the compaction Finish makes.
        Console.Out.WriteLine("finishing");
        Console.Out.Flush();
        Volatile.Write(ref s_finishing, true);
        var summary = session.Finish();
        Console.Out.WriteLine($"finished {summary.State}");
        return 0;
    }

    /// <summary>
    /// A run that compacts its journal during the run every <paramref name="every"/> results, and says when a copy is done
    /// (the crash tests kill it between the copy and the swap, and during the swap).
    /// </summary>
    private static CheckpointSession StartCompactingEvery(int every, CheckpointLocation location, RunOptions options)
    {
        options.Validate();
        var store = FileRunStore.Open(location, options);
        var results = 0L;
        // Called under the session's lock.
        store.CompactDuringRun = (_, _) => ++results % every == 0;
        store.AfterCompactionCopy = () =>
        {
            Console.Out.WriteLine("compaction-copied");
            Console.Out.Flush();
            // Holds the swap back a little while items go on being recorded: a kill soon after the line lands before
            // the swap about half the time (the tail then grows), during or after it otherwise.
            Thread.Sleep(30);
        };
        return CheckpointSession.Start(location, store, options);
    }

    /// <summary>
    /// A run whose close dies in its flush to disk, after the journal's reserved space is cut (the once-a-second flushes
    /// before Finish are left alone).
    /// </summary>
    private static CheckpointSession StartDyingAtCloseFlush(CheckpointLocation location, RunOptions options)
    {
        options.Validate();
        var store = FileRunStore.Open(location, options);
        if (store.Journal is not MappedJournalAppender journal)
        {
            store.Dispose();
            throw new InvalidOperationException("The journal is not mapped here: --die-at-close-flush has nothing to kill.");
        }

        journal.FlushStarting = () =>
        {
            if (Volatile.Read(ref s_finishing))
            {
                KillSelf();
            }
        };
        return CheckpointSession.Start(location, store, options);
    }

    /// <summary>Dies the way a crash does: SIGKILL, no finally blocks, no Dispose.</summary>
    private static void KillSelf()
    {
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
