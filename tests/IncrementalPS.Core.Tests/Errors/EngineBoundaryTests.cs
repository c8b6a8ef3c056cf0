using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Errors;

/// <summary>
/// The engine's public entry points throw its own exception types only, each naming the file and saying what to do,
/// with the runtime's exception kept inside.
/// </summary>
public sealed class EngineBoundaryTests
{
    [Fact]
    public void A_path_that_is_a_directory_is_a_path_error_naming_it()
    {
        using var store = new TempStore();

        var error = Assert.Throws<CheckpointPathException>(() => CheckpointLocation.FromPath(store.Directory));

        Assert.Contains(store.Directory, error.Message, StringComparison.Ordinal);
        Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_invalid_path_is_a_path_error()
    {
        var error = Assert.Throws<CheckpointPathException>(() => CheckpointLocation.FromPath("bad\0path"));

        Assert.NotNull(error.InnerException);
        Assert.DoesNotContain("(Parameter", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_store_that_is_a_file_is_a_path_error_for_names_and_listing()
    {
        using var store = new TempStore();
        var file = store.PathOf("not-a-store");
        File.WriteAllText(file, "hello\n");

        Assert.Contains("is a file", Assert.Throws<CheckpointPathException>(() => CheckpointLocation.FromName("nightly", file)).Message, StringComparison.Ordinal);
        Assert.Contains("is a file", Assert.Throws<CheckpointPathException>(() => CheckpointStore.List(file)).Message, StringComparison.Ordinal);
        Assert.Equal("hello\n", File.ReadAllText(file));
    }

    [Fact]
    public void A_directory_on_the_way_that_is_a_file_is_a_path_error_naming_it()
    {
        using var store = new TempStore();
        var file = store.PathOf("plain-file");
        File.WriteAllText(file, "hello\n");
        var location = CheckpointLocation.FromPath(Path.Combine(file, "sub", "x.checkpoint.jsonl"));

        var error = Assert.Throws<CheckpointPathException>(() => CheckpointSession.Start(location, Sessions.Options()));

        Assert.Contains($"'{file}' is a file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_checkpoint_that_is_a_directory_is_a_path_error_everywhere()
    {
        using var store = new TempStore();
        var location = store.Named("dir");
        Directory.CreateDirectory(location.FilePath);

        var calls = new Action[]
        {
            () => CheckpointSession.Start(location, Sessions.Options()).Dispose(),
            () => CheckpointInspector.ReadStatus(location),
            () => CheckpointInspector.ReadItems(location),
            () => CheckpointReset.ResetFailed(location),
            () => CheckpointReset.ResetKeys(location, ["a"]),
            () => CheckpointReset.Remove(location),
        };

        foreach (var call in calls)
        {
            var error = Assert.IsType<CheckpointPathException>(Record.Exception(call));
            Assert.Equal(location.FilePath, error.FilePath);
            Assert.Contains("is a directory", error.Message, StringComparison.Ordinal);
            Assert.True(Directory.Exists(location.FilePath));
        }
    }

    [Fact]
    public void An_unreadable_lock_directory_is_an_access_error_not_a_runtime_one()
    {
        if (Environment.UserName == "root" || OperatingSystem.IsWindows())
        {
            // Root reads and writes anything; Windows has no mode bits. The mapping itself is the same for both.
            return;
        }

        using var store = new TempStore();
        var location = store.Named("locked-out");
        Sessions.MakeKept(location, ["a"]);
        File.SetUnixFileMode(store.Directory, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            Assert.IsType<CheckpointAccessException>(Record.Exception(() => CheckpointReset.ResetFailed(location)));
        }
        finally
        {
            File.SetUnixFileMode(store.Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    [MountFact]
    public void A_full_disk_mid_run_is_an_IO_error_and_what_was_recorded_before_is_kept()
    {
        using var store = new TempStore();
        var mount = store.PathOf("small");
        Directory.CreateDirectory(mount);
        Run("mount", "-t", "tmpfs", "-o", "size=128k", "tmpfs", mount);
        try
        {
            var location = CheckpointLocation.FromName("full", mount);
            var completed = 0;
            CheckpointIOException? error = null;
            using (var session = CheckpointSession.Start(location, Sessions.Options()))
            {
                for (var i = 0; i < 2000 && error is null; i++)
                {
                    try
                    {
                        session.Complete($"item-{i:0000}-" + new string('x', 200));
                        completed++;
                    }
                    catch (CheckpointIOException ex)
                    {
                        error = ex;
                    }
                }

                Assert.NotNull(error);
                Assert.IsAssignableFrom<IOException>(error!.InnerException);
                Assert.Equal(location.FilePath, error.FilePath);
                Assert.Contains(location.FilePath, error.Message, StringComparison.Ordinal);

                // Stopping on a full disk may fail to record the run's end too: that is the same error, still mapped.
                Assert.True(Record.Exception(session.Dispose) is null or CheckpointIOException);
            }

            Assert.InRange(completed, 1, 1999);
            var items = CheckpointInspector.ReadItems(location);
            Assert.Equal(completed, items.Count(i => i.State == ItemState.Completed));
        }
        finally
        {
            Run("umount", mount);
        }
    }

    private static void Run(string program, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(program, args) { RedirectStandardError = true })!;
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {stderr}");
    }
}
