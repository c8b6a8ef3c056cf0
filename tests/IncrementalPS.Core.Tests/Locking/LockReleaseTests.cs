using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Locking;

/// <summary>
/// The lock is let go whatever happens to the owner file beside it: on Windows a status reader holding that file makes
/// its deletion fail, and the lock handle must not wait for the finalizer meanwhile.
/// </summary>
public sealed class LockReleaseTests
{
    private const int SharingViolation = unchecked((int)0x80070020);

    [Theory]
    [InlineData("finish")]
    [InlineData("stop")]
    public void A_run_whose_owner_file_cannot_be_deleted_still_releases_the_checkpoint(string how)
    {
        using var store = new TempStore();
        var location = store.Named();
        var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        session.Complete("a");

        CheckpointLock.FailNextOwnerDeleteOnThisThread = new IOException("The process cannot access the file because it is being used by another process.", SharingViolation);
        try
        {
            if (how == "finish")
            {
                Assert.Equal(CheckpointState.Completed, session.Finish().State);
            }

            session.Dispose();
        }
        finally
        {
            CheckpointLock.FailNextOwnerDeleteOnThisThread = null;
        }

        Assert.False(CheckpointInspector.IsRunning(location));
        using var next = CheckpointSession.Start(location, Sessions.Options());
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, next.Complete("a").Kind);
    }

    [Fact]
    public void The_holder_can_replace_and_delete_the_owner_file_while_a_reader_has_it_open()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var held = CheckpointLock.Acquire(location, "first");

        // What TryRead opens: on Windows, FileShare.Read alone would make the holder's replace and delete fail.
        using (var reader = new FileStream(location.OwnerPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
        {
            Assert.Equal("first", OwnerFile.TryRead(location.OwnerPath)?.Writer);
            OwnerFile.Write(location.OwnerPath, CheckpointOwner.ForCurrentProcess("second"));
            Assert.Equal("second", OwnerFile.TryRead(location.OwnerPath)?.Writer);
        }

        held.Release(deleteFiles: false);
        Assert.False(File.Exists(location.OwnerPath));
    }
}
