using System;
using System.IO;
using System.Text;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Maintenance;

/// <summary>The destructive paths (reset, restart) and runs pointed at files that are not checkpoints: nothing is lost or left beside them.</summary>
public sealed class NotACheckpointTests
{
    public static TheoryData<string> NotCheckpoints => new()
    {
        "my notes\nline two\n",
        "",
        "{\"name\":\"package\",\"version\":1}\n",
        "#!/bin/sh\necho hello\n",
    };

    [Theory]
    [MemberData(nameof(NotCheckpoints))]
    public void Remove_refuses_a_file_that_is_not_a_checkpoint_and_leaves_it_and_no_lock(string content)
    {
        using var store = new TempStore();
        var location = store.FileWith("notes.txt", Encoding.UTF8.GetBytes(content));

        Assert.Throws<CheckpointFormatException>(() => CheckpointReset.Remove(location));

        Assert.Equal(content, File.ReadAllText(location.FilePath));
        Assert.False(File.Exists(location.LockPath), "a .lock file was left beside the file");
    }

    [Theory]
    [MemberData(nameof(NotCheckpoints))]
    public void A_run_refuses_a_file_that_is_not_a_checkpoint_and_leaves_it_and_no_lock(string content)
    {
        using var store = new TempStore();
        var location = store.FileWith("notes.txt", Encoding.UTF8.GetBytes(content));

        Assert.Throws<CheckpointFormatException>(() => Sessions.RunAll(location, Sessions.Options(), ["a"]));

        Assert.Equal(content, File.ReadAllText(location.FilePath));
        Assert.False(File.Exists(location.LockPath), "a .lock file was left beside the file");
    }

    [Fact]
    public void Remove_and_forget_call_a_directory_in_the_checkpoint_s_place_a_path_error_and_leave_it()
    {
        using var store = new TempStore();
        var location = store.Named("folder");
        Directory.CreateDirectory(location.FilePath);
        File.WriteAllText(Path.Combine(location.FilePath, "keep.txt"), "mine");

        Assert.Throws<CheckpointPathException>(() => CheckpointReset.Remove(location));
        Assert.Throws<CheckpointPathException>(() => CheckpointReset.ResetFailed(location));
        Assert.Throws<CheckpointPathException>(location.ThrowIfMissing);

        Assert.Equal("mine", File.ReadAllText(Path.Combine(location.FilePath, "keep.txt")));
    }

    [Fact]
    public void A_missing_checkpoint_is_not_found()
    {
        using var store = new TempStore();
        var location = store.Named("absent");

        Assert.Throws<CheckpointNotFoundException>(location.ThrowIfMissing);
        Assert.Throws<CheckpointNotFoundException>(() => CheckpointReset.Remove(location));
    }

    [Fact]
    public void Remove_refuses_a_large_binary_file_without_reading_all_of_it()
    {
        using var store = new TempStore();
        var bytes = new byte[8 * 1024 * 1024];
        new Random(7).NextBytes(bytes);
        bytes.AsSpan().Replace((byte)'\n', (byte)'x');
        var location = store.FileWith("photo.jpg", bytes);

        Assert.Throws<CheckpointFormatException>(() => CheckpointReset.Remove(location));

        Assert.Equal(bytes.Length, new FileInfo(location.FilePath).Length);
    }

    [Fact]
    public void ResetFailed_on_a_file_that_is_not_a_checkpoint_leaves_no_lock()
    {
        using var store = new TempStore();
        var location = store.FileWith("data.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"));

        Assert.Throws<CheckpointFormatException>(() => CheckpointReset.ResetFailed(location));

        Assert.False(File.Exists(location.LockPath));
    }

    [Fact]
    public void Remove_still_removes_a_checkpoint_whose_body_is_damaged()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a", "b"]);
        File.AppendAllText(location.FilePath, "garbage in the middle\n{\"type\":\"item\"}\n");
        Assert.Throws<CheckpointCorruptException>(() => CheckpointInspector.ReadStatus(location));

        CheckpointReset.Remove(location);

        Assert.False(File.Exists(location.FilePath));
    }

    [Fact]
    public void Remove_removes_a_checkpoint_of_a_newer_format_version()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);
        CheckpointFile.SetHeaderVersion(location.FilePath, 99);
        Assert.Throws<CheckpointVersionException>(() => CheckpointInspector.ReadStatus(location));

        CheckpointReset.Remove(location);

        Assert.False(File.Exists(location.FilePath));
    }

    [Theory]
    [MemberData(nameof(NotCheckpoints))]
    public void Restart_refuses_a_file_that_is_not_a_checkpoint_and_leaves_it(string content)
    {
        using var store = new TempStore();
        var location = store.FileWith("notes.txt", Encoding.UTF8.GetBytes(content));

        Assert.Throws<CheckpointFormatException>(() => CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true)).Dispose());

        Assert.Equal(content, File.ReadAllText(location.FilePath));
    }

    [Fact]
    public void Restart_still_discards_a_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true));

        Assert.Equal(ItemOutcomeKind.Completed, session.Complete("a").Kind);
    }
}
