using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Locking;

/// <summary>
/// Two paths to one checkpoint, through a symbolic link to the file or to a directory above it, are one checkpoint:
/// one lock, one owner, and a rewrite through the link changes the file it points to, not the link.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SymbolicLinkTests
{
    [UnixFact]
    public void A_link_to_a_checkpoint_file_shares_its_lock()
    {
        using var store = new TempStore();
        var real = CheckpointLocation.FromPath(store.PathOf("real.checkpoint.jsonl"));
        Sessions.MakeKept(real, ["a"]);
        File.CreateSymbolicLink(store.PathOf("link.checkpoint.jsonl"), real.FilePath);
        var link = CheckpointLocation.FromPath(store.PathOf("link.checkpoint.jsonl"));

        using var running = CheckpointSession.Start(real, Sessions.Options());

        Assert.Throws<CheckpointLockedException>(() => CheckpointSession.Start(link, Sessions.Options()).Dispose());
        Assert.Throws<CheckpointLockedException>(() => CheckpointReset.ResetKeys(link, ["a"]));
    }

    [UnixFact]
    public void A_link_to_a_directory_above_a_checkpoint_shares_its_lock()
    {
        using var store = new TempStore();
        Directory.CreateDirectory(store.PathOf("jobs"));
        var real = CheckpointLocation.FromPath(store.PathOf("jobs/job.checkpoint.jsonl"));
        Sessions.MakeKept(real, ["a"]);
        Directory.CreateSymbolicLink(store.PathOf("jobs-link"), store.PathOf("jobs"));
        var viaLink = CheckpointLocation.FromPath(store.PathOf("jobs-link/job.checkpoint.jsonl"));

        using var running = CheckpointSession.Start(viaLink, Sessions.Options());

        Assert.Throws<CheckpointLockedException>(() => CheckpointSession.Start(real, Sessions.Options()).Dispose());
    }

    [UnixFact]
    public void A_reset_through_a_link_rewrites_the_checkpoint_and_keeps_the_link()
    {
        using var store = new TempStore();
        var real = CheckpointLocation.FromPath(store.PathOf("real.checkpoint.jsonl"));
        Sessions.MakeKept(real, ["a", "b"]);
        var linkPath = store.PathOf("link.checkpoint.jsonl");
        File.CreateSymbolicLink(linkPath, real.FilePath);

        Assert.Equal(1, CheckpointReset.ResetKeys(CheckpointLocation.FromPath(linkPath), ["a"]));

        Assert.NotNull(new FileInfo(linkPath).LinkTarget);
        var items = CheckpointInspector.ReadItems(real);
        Assert.Equal("b", Assert.Single(items).Key);
    }
}
