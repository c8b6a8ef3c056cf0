using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Locking;

/// <summary>
/// The files a checkpoint keeps beside itself (.lock, .owner, .inflight, .suspend) are rewritten and removed by runs
/// and resets. A file of someone else's at one of those names is refused, named in the error, and left as it was.
/// </summary>
public sealed class ForeignSidecarTests
{
    private const string Foreign = "my notes\nline two\n";

    public static TheoryData<string> Sidecars => new() { ".lock", ".owner", ".inflight", ".suspend" };

    [Theory]
    [MemberData(nameof(Sidecars))]
    public void A_new_run_refuses_a_foreign_file_at_a_sidecar_s_name_and_creates_no_checkpoint(string suffix)
    {
        using var store = new TempStore();
        var location = store.Named("job");
        var sidecar = location.FilePath + suffix;
        File.WriteAllText(sidecar, Foreign);

        var error = Assert.Throws<CheckpointFormatException>(() => Sessions.RunAll(location, Sessions.Options(), ["a"]));

        Assert.Equal(sidecar, error.FilePath);
        Assert.Contains($"'{sidecar}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("left unchanged", error.Message, StringComparison.Ordinal);
        Assert.Equal(Foreign, File.ReadAllText(sidecar));
        Assert.False(location.Exists, "the checkpoint was created beside a foreign file");
    }

    public static TheoryData<string> SidecarsResetsTouch => new() { ".lock", ".owner", ".inflight" };

    [Theory]
    [MemberData(nameof(SidecarsResetsTouch))]
    public void Reset_and_resume_refuse_a_foreign_file_at_a_sidecar_s_name_and_keep_the_checkpoint(string suffix)
    {
        using var store = new TempStore();
        var location = store.Named("job");
        Sessions.MakeKept(location, ["a", "b"]);
        var checkpoint = File.ReadAllBytes(location.FilePath);
        var sidecar = location.FilePath + suffix;
        File.WriteAllText(sidecar, Foreign);

        Assert.Equal(sidecar, Assert.Throws<CheckpointFormatException>(() => CheckpointSidecars.EnsureOwnBeforeAsking(location)).FilePath);
        Assert.Throws<CheckpointFormatException>(() => CheckpointReset.Remove(location));
        Assert.Throws<CheckpointFormatException>(() => CheckpointReset.ResetFailed(location));
        Assert.Throws<CheckpointFormatException>(() => Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["a", "c"]));

        Assert.Equal(Foreign, File.ReadAllText(sidecar));
        Assert.Equal(checkpoint, File.ReadAllBytes(location.FilePath));
    }

    [Fact]
    public void Sidecars_a_killed_run_can_leave_are_its_own_and_taken_over()
    {
        using var store = new TempStore();
        var location = store.Named("job");
        Sessions.MakeKept(location, ["a"]);

        // Empty files (killed as each was created), an in-flight file killed between its sizing and its header (all
        // zeros), and a complete owner file of a process that is gone.
        File.WriteAllBytes(location.LockPath, []);
        File.WriteAllBytes(location.InFlightPath, new byte[16 + (4 * 1024)]);
        File.WriteAllText(location.OwnerPath, "{\"pid\":1,\"host\":\"elsewhere\",\"started\":\"2026-11-30T00:00:00+00:00\",\"writer\":\"incps 0.1.0\"}");
        File.WriteAllBytes(location.SuspendPath, []);
        CheckpointSidecars.EnsureOwnBeforeAsking(location);

        var summary = Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["a", "b"]);

        Assert.Equal(1, summary.Completed);
        Assert.False(File.Exists(location.OwnerPath));
        Assert.False(File.Exists(location.InFlightPath));
        Assert.False(File.Exists(location.SuspendPath));
    }

    [Fact]
    public void A_suspend_request_placed_by_incps_is_taken_and_answered()
    {
        using var store = new TempStore();
        var location = store.Named("job");
        Sessions.MakeKept(location, ["a"]);
        File.WriteAllText(location.SuspendPath, "{\"requested\":\"2026-11-30T00:00:00+00:00\",\"user\":\"ops\",\"host\":\"h\",\"pid\":1}");

        var summary = Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["b"]);

        Assert.Equal(1, summary.Completed);
        Assert.False(File.Exists(location.SuspendPath));
    }

    [Fact]
    public void Answering_a_suspend_request_removes_a_request_and_leaves_a_foreign_file_placed_at_its_name()
    {
        using var store = new TempStore();
        var location = store.Named("job");
        File.WriteAllText(location.SuspendPath, "{\"requested\":\"2026-11-30T00:00:00+00:00\"}");
        SuspendRequest.Clear(location);
        Assert.False(File.Exists(location.SuspendPath));

        File.WriteAllText(location.SuspendPath, Foreign);
        SuspendRequest.Clear(location);
        Assert.Equal(Foreign, File.ReadAllText(location.SuspendPath));
    }

    [Fact]
    public void A_foreign_file_at_the_suspend_request_s_name_stops_a_resume_and_a_restart_and_is_left_to_resets()
    {
        using var store = new TempStore();
        var location = store.Named("job");
        Sessions.MakeKept(location, ["a"]);
        var checkpoint = File.ReadAllBytes(location.FilePath);
        File.WriteAllText(location.SuspendPath, Foreign);

        Assert.Throws<CheckpointFormatException>(() => Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["b"]));
        Assert.Throws<CheckpointFormatException>(() => Sessions.RunAll(location, Sessions.Options(o => { o.Keep = true; o.Restart = true; }), ["b"]));
        Assert.Equal(checkpoint, File.ReadAllBytes(location.FilePath));

        // A reset never touches the request: it goes on, and the file stays.
        Assert.Equal(0, CheckpointReset.ResetFailed(location));
        CheckpointReset.Remove(location);
        Assert.False(location.Exists);
        Assert.Equal(Foreign, File.ReadAllText(location.SuspendPath));
    }

    [Theory]
    [InlineData(".owner")]
    [InlineData(".suspend")]
    [InlineData(".inflight")]
    public void A_sidecar_whose_data_a_power_failure_lost_is_taken_as_its_own(string suffix)
    {
        using var store = new TempStore();
        var location = store.Named("job");
        Sessions.MakeKept(location, ["a"]);

        // The length survived, the content did not: NUL bytes (NTFS, XFS).
        File.WriteAllBytes(location.FilePath + suffix, new byte[suffix == ".inflight" ? 16 + (64 * 1024) : 97]);

        var summary = Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["a", "b"]);

        Assert.Equal(1, summary.Completed);
    }

    [Fact]
    public void A_sidecar_that_cannot_be_read_to_check_is_refused_not_taken_as_absent()
    {
        using var store = new TempStore();
        var location = store.Named("job");
        Sessions.MakeKept(location, ["a"]);

        // A directory cannot be opened as a file, whoever runs this (root reads any file whatever its mode).
        Directory.CreateDirectory(location.InFlightPath);
        File.WriteAllText(Path.Combine(location.InFlightPath, "keep.txt"), "mine");

        var error = Assert.Throws<CheckpointFormatException>(() => Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["b"]));

        Assert.Contains("cannot read it", error.Message, StringComparison.Ordinal);
        Assert.Equal("mine", File.ReadAllText(Path.Combine(location.InFlightPath, "keep.txt")));
    }
}
