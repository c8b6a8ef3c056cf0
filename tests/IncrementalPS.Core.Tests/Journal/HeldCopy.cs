using System;
using System.Threading;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>Holds a mid-run compaction's copy (its after-copy hook) until released, so that a test acts while it is under way.</summary>
internal sealed class HeldCopy : IDisposable
{
    private static readonly TimeSpan s_deadlockGuard = TimeSpan.FromMinutes(2);
    private readonly ManualResetEventSlim _copied = new();
    private readonly ManualResetEventSlim _release = new();

    public bool IsReleased => _release.IsSet;

    /// <summary>The hook: runs on the copying thread once the copy is done, and waits there.</summary>
    public void Hold()
    {
        _copied.Set();
        _release.Wait(s_deadlockGuard);
    }

    public void WaitUntilCopied() => Assert.True(_copied.Wait(s_deadlockGuard), "the compaction never copied");

    public void Release() => _release.Set();

    public void Dispose()
    {
        _copied.Dispose();
        _release.Dispose();
    }
}
