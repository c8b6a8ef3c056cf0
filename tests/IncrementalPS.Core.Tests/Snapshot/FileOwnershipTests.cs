using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Snapshot;

/// <summary>
/// A rewrite (compaction, reset) keeps who may read and write the checkpoint; a checkpoint its owner made read-only is
/// refused, not rewritten.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FileOwnershipTests
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode ReadOnly = UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead;
    private const UnixFileMode GroupReadable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead;

    [UnixFact]
    public void A_private_checkpoint_stays_private_after_compaction()
    {
        using var store = new TempStore();
        var location = KeptWithFailures(store);
        File.SetUnixFileMode(location.FilePath, Private);
        var before = File.ReadAllBytes(location.FilePath).Length;

        // Retrying the failed items and finishing compacts the journal: a new file replaces the old one.
        Sessions.RunAll(location, Sessions.Options(o => { o.Keep = true; o.RetryFailed = true; }), ["f0", "f1", "f2"]);

        Assert.NotEqual(before, File.ReadAllBytes(location.FilePath).Length);
        Assert.Equal(Private, File.GetUnixFileMode(location.FilePath));
    }

    [UnixFact]
    public void A_private_checkpoint_stays_private_after_reset_failed()
    {
        using var store = new TempStore();
        var location = KeptWithFailures(store);
        File.SetUnixFileMode(location.FilePath, Private);

        Assert.Equal(3, CheckpointReset.ResetFailed(location));

        Assert.Equal(Private, File.GetUnixFileMode(location.FilePath));
    }

    [UnixFact]
    public void A_read_only_checkpoint_is_refused_by_runs_and_resets_and_left_unchanged()
    {
        using var store = new TempStore();
        var location = KeptWithFailures(store);
        File.SetUnixFileMode(location.FilePath, ReadOnly);
        var hash = CheckpointFile.Sha256(location.FilePath);

        var attempts = new Action[]
        {
            () => CheckpointSession.Start(location, Sessions.Options()).Dispose(),
            () => CheckpointReset.ResetFailed(location),
            () => CheckpointReset.ResetKeys(location, ["a"]),
            () => CheckpointReset.Remove(location),
            () => CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true)).Dispose(),
        };

        foreach (var attempt in attempts)
        {
            var error = Assert.IsType<CheckpointAccessException>(Record.Exception(attempt));
            Assert.Equal(location.FilePath, error.FilePath);
            Assert.Contains(location.FilePath, error.Message, StringComparison.Ordinal);
            Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
            Assert.Contains("444", error.Message, StringComparison.Ordinal);
            Assert.Equal(hash, CheckpointFile.Sha256(location.FilePath));
            Assert.Equal(ReadOnly, File.GetUnixFileMode(location.FilePath));
        }

        // Reading it is still fine.
        Assert.Equal(3, CheckpointInspector.ReadStatus(location).Failed);
    }

    [LinuxRootFact]
    public void The_owner_is_kept_when_root_rewrites_another_users_checkpoint()
    {
        const uint Nobody = 65534;
        using var store = new TempStore();
        var location = KeptWithFailures(store);
        Assert.True(UnixNative.TrySetOwner(location.FilePath, Nobody, Nobody, out var errno), $"chown failed: errno {errno}");
        File.SetUnixFileMode(location.FilePath, GroupReadable);

        Assert.Equal(3, CheckpointReset.ResetFailed(location));
        Assert.Equal((Nobody, Nobody), UnixNative.TryGetOwner(location.FilePath));
        Assert.Equal(GroupReadable, File.GetUnixFileMode(location.FilePath));

        Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["f0", "f1", "f2", "x"]);
        Assert.Equal((Nobody, Nobody), UnixNative.TryGetOwner(location.FilePath));
        Assert.Equal(GroupReadable, File.GetUnixFileMode(location.FilePath));
    }

    [UnixFact]
    public void A_new_checkpoint_is_created_as_before_and_its_owner_is_this_user()
    {
        using var store = new TempStore();
        var location = store.Named("new");

        Sessions.MakeKept(location, ["a"]);

        Assert.True((File.GetUnixFileMode(location.FilePath) & UnixFileMode.UserWrite) != 0);
        if (OperatingSystem.IsLinux())
        {
            Assert.NotNull(UnixNative.TryGetOwner(location.FilePath));
        }
    }

    private static CheckpointLocation KeptWithFailures(TempStore store)
    {
        var location = store.Named("owned");
        Sessions.MakeKept(location, Sessions.Keys("k", 20), failed: ["f0", "f1", "f2"]);
        Assert.Equal(3, CheckpointInspector.ReadItems(location).Count(i => i.State == ItemState.Failed));
        return location;
    }
}
