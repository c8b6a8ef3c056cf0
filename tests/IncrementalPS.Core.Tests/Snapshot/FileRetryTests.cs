using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Snapshot;

/// <summary>
/// On Windows an antivirus, backup agent or indexer holding a file for a moment makes a delete or open fail with a
/// sharing violation: the checkpoint's own file operations retry it (injected here), and nothing else.
/// </summary>
public sealed class FileRetryTests
{
    [Fact]
    public void A_restart_whose_delete_is_refused_for_a_moment_still_starts_over()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a", "b"]);

        using var session = WithSharingViolations(2, () => CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true)));

        Assert.Equal(0, session.Resume.Completed);
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("a").Kind);
    }

    [Fact]
    public void A_reset_whose_delete_is_refused_for_a_moment_still_removes_the_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);

        WithSharingViolations(2, () =>
        {
            CheckpointReset.Remove(location);
            return true;
        });

        Assert.False(location.Exists);
    }

    [Fact]
    public void Other_failures_are_not_retried()
    {
        var calls = 0;

        Assert.Throws<FileNotFoundException>(() => FileRetry.Run(() =>
        {
            calls++;
            throw new FileNotFoundException("gone");
        }));

        Assert.Equal(1, calls);
    }

    private static T WithSharingViolations<T>(int count, Func<T> act)
    {
        FileRetry.SharingViolationsOnThisThread = count;
        try
        {
            var result = act();
            Assert.Equal(0, FileRetry.SharingViolationsOnThisThread);
            return result;
        }
        finally
        {
            FileRetry.SharingViolationsOnThisThread = 0;
        }
    }
}
