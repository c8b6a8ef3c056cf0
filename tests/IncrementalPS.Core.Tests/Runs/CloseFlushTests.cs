using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>
/// Finish flushes the journal to disk only when that protects something: not a checkpoint it deletes next, and not
/// records that are on disk already. (Full durability: no timer, so every fsync is counted deterministically.)
/// </summary>
public sealed class CloseFlushTests
{
    [Fact]
    public void A_checkpoint_removed_at_Finish_is_not_flushed_to_disk_first()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Durability = Durability.Full));
        session.Complete("a");
        session.Complete("b");
        var beforeFinish = session.DiskFlushes;

        var summary = session.Finish();

        Assert.True(summary.CheckpointRemoved);
        Assert.False(System.IO.File.Exists(location.FilePath));
        Assert.Equal(1, session.DiskFlushes - beforeFinish); // the run-ended record's own, at Full durability
    }

    [Fact]
    public void A_kept_checkpoint_at_Full_durability_is_not_flushed_again_at_close()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options(o => { o.Durability = Durability.Full; o.Keep = true; }));
        session.Complete("a");
        var beforeFinish = session.DiskFlushes;

        session.Finish();

        Assert.Equal(1, session.DiskFlushes - beforeFinish);
    }

    [Fact]
    public void A_kept_checkpoint_at_Normal_durability_is_flushed_to_disk_at_close()
    {
        using var store = new TempStore();
        using var session = CheckpointSession.Start(store.Named(), Sessions.Options(o => o.Keep = true));
        session.Complete("a");

        session.Finish();

        Assert.True(session.DiskFlushes >= 1);
    }
}
