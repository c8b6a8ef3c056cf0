using System;
using System.IO;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// A claim or a result of a shared store is a server round trip made under the session's lock, and Npgsql's
/// synchronous reads complete through the thread pool (on Linux the socket engine hands completions to it). A timer
/// tick that waits for that lock takes a pool thread; ticks coming faster than the pool grows starve the very read
/// the lock's holder waits for, and a worker hung until its command timed out. Nothing on a timer may wait for it.
/// </summary>
public sealed class SessionTimerTests
{
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(15);

    [Fact]
    public void The_suspend_watch_never_blocks_a_thread_pool_thread_while_a_claim_holds_the_session()
        => AssertPoolAnswersDuringAClaim(o => o.SuspendPoll = TimeSpan.FromMilliseconds(1));

    [Fact]
    public void A_request_to_suspend_is_noticed_while_a_claim_holds_the_session()
    {
        // Workers that keep the session busy (claims back to back) must not keep the watch from ever seeing a request.
        var store = new MemoryRunStore();
        CheckpointSession? session = null;
        var noticed = false;
        store.DuringClaim = _ =>
        {
            store.AskToSuspend = true;
            noticed = session!.Suspending.WaitHandle.WaitOne(s_patience);
        };
        using (session = Start(store, o => o.SuspendPoll = TimeSpan.FromMilliseconds(5)))
        {
            session.Complete("a");
        }

        Assert.True(noticed, "the request was not noticed while the claim held the session");
    }

    [Fact]
    public void A_display_peeks_at_the_progress_without_waiting_for_a_claim_in_progress()
    {
        var store = new MemoryRunStore();
        CheckpointSession? session = null;
        RunProgress? peeked = null;
        Action<string> claimWaits = _ =>
        {
            var display = new Thread(() => peeked = session!.PeekProgress());
            display.Start();
            Assert.True(display.Join(s_patience), "PeekProgress waited for the claim to end");
        };
        using (session = Start(store, _ => { }))
        {
            session.Complete("a");
            Assert.Equal(1, session.PeekProgress().Completed);
            store.DuringClaim = claimWaits;
            session.Complete("b");
            session.Finish();
        }

        // Taken while "b" was being claimed: the last snapshot, after "a".
        Assert.NotNull(peeked);
        Assert.Equal(1, peeked!.Completed);
    }

    private static void AssertPoolAnswersDuringAClaim(Action<RunOptions> configure)
    {
        var store = new MemoryRunStore();
        var poolAnswered = true;
        store.DuringClaim = _ =>
        {
            // Long enough for over a thousand ticks to come due while this claim holds the session.
            Thread.Sleep(1500);
            using var ran = new ManualResetEventSlim();
            ThreadPool.UnsafeQueueUserWorkItem(_ => ran.Set(), null);
            poolAnswered = ran.Wait(s_patience);
        };
        using var session = Start(store, configure);

        session.Complete("a");
        session.Finish();

        Assert.True(poolAnswered, "a thread pool work item queued during the claim did not run: the pool was starved");
    }

    private static CheckpointSession Start(MemoryRunStore store, Action<RunOptions> configure)
        => CheckpointSession.Start(CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused.jsonl")), store, Sessions.Options(configure));
}
