using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Store;

public sealed class CheckpointLocationTests
{
    [Fact]
    public void A_named_checkpoint_is_a_jsonl_file_in_the_store_with_lock_and_owner_beside_it()
    {
        using var store = new TempStore();

        var location = CheckpointLocation.FromName("nightly", store.Directory);

        Assert.Equal("nightly", location.Name);
        Assert.Equal(Path.Combine(store.Directory, "nightly.checkpoint.jsonl"), location.FilePath);
        Assert.Equal(store.Directory, location.Directory);
        Assert.Equal(location.FilePath + ".lock", location.LockPath);
        Assert.Equal(location.FilePath + ".owner", location.OwnerPath);
        Assert.False(location.Exists);
    }

    [Fact]
    public void A_checkpoint_can_be_an_explicit_file_with_any_name()
    {
        using var store = new TempStore();
        var path = store.PathOf("beside-the-script.state");

        var location = CheckpointLocation.FromPath(path);

        Assert.Equal(path, location.FilePath);
        Assert.Equal("beside-the-script", location.Name);
    }

    [Fact]
    public void An_explicit_checkpoint_file_keeps_its_name_without_the_checkpoint_extension()
    {
        using var store = new TempStore();

        var location = CheckpointLocation.FromPath(store.PathOf("weekly.checkpoint.jsonl"));

        Assert.Equal("weekly", location.Name);
    }

    [Fact]
    public void A_relative_path_is_made_absolute()
    {
        var location = CheckpointLocation.FromPath("relative.checkpoint.jsonl");

        Assert.True(Path.IsPathFullyQualified(location.FilePath));
        Assert.Equal(Path.GetFullPath("relative.checkpoint.jsonl"), location.FilePath);
    }

    [Fact]
    public void A_directory_or_an_empty_path_is_not_a_checkpoint_file()
    {
        using var store = new TempStore();

        Assert.Throws<CheckpointPathException>(() => CheckpointLocation.FromPath(store.Directory));
        Assert.Throws<CheckpointPathException>(() => CheckpointLocation.FromPath(" "));
    }

    [Fact]
    public void An_explicit_path_checkpoint_works_like_a_named_one()
    {
        using var store = new TempStore();
        var location = store.AtPath("explicit.state");

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("a");
            session.Finish();
        }

        Assert.True(File.Exists(store.PathOf("explicit.state")));
        Assert.Equal(1, CheckpointInspector.ReadStatus(location).Completed);
    }

    [Fact]
    public void The_store_lists_its_checkpoints_by_name()
    {
        using var store = new TempStore();
        Sessions.MakeKept(store.Named("zeta"), ["a"]);
        Sessions.MakeKept(store.Named("Alpha"), ["a"]);
        File.WriteAllText(store.PathOf("not-a-checkpoint.txt"), "x");

        var names = CheckpointStore.List(store.Directory);

        Assert.Equal(["Alpha", "zeta"], [.. System.Linq.Enumerable.Select(names, l => l.Name)]);
    }

    [Fact]
    public void A_missing_store_lists_nothing()
    {
        using var store = new TempStore();

        Assert.Empty(CheckpointStore.List(store.PathOf("never-created")));
    }
}
