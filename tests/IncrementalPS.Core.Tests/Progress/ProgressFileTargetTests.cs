using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Progress;

/// <summary>
/// The progress file is for people watching: a reader holding it (on Windows, <c>Get-Content -Wait</c> makes every
/// rename over it fail) never stops a run, and a folder that does not exist is a clear setup error, not a made folder.
/// </summary>
public sealed class ProgressFileTargetTests
{
    private const int SharingViolation = unchecked((int)0x80070020);

    [Fact]
    public void A_progress_file_held_by_a_reader_neither_stops_the_run_from_starting_nor_fails_its_end()
    {
        using var store = new TempStore();
        var location = store.Named();
        var progressFile = store.PathOf("progress.txt");
        File.WriteAllText(progressFile, "from the last run\n");

        RunSummary summary;
        AtomicFile.MoveOnThisThread = (source, target) =>
        {
            if (target == progressFile)
            {
                throw new IOException("The process cannot access the file because it is being used by another process.", SharingViolation);
            }

            File.Move(source, target, overwrite: true);
        };
        try
        {
            // No tick during the test: the timer's thread does not see this thread's injected failure.
            using var session = CheckpointSession.Start(location, Sessions.Options(o =>
            {
                o.ProgressFile = progressFile;
                o.ProgressFileInterval = TimeSpan.FromHours(1);
            }));
            session.Complete("a");
            summary = session.Finish();
        }
        finally
        {
            AtomicFile.MoveOnThisThread = null;
        }

        Assert.Equal(CheckpointState.Completed, summary.State);
        Assert.Equal("from the last run\n", File.ReadAllText(progressFile));
        Assert.Empty(Directory.GetFiles(store.Directory, ".progress.txt.*"));
    }

    [Fact]
    public void A_progress_file_in_a_folder_that_does_not_exist_is_refused_before_the_checkpoint_is_touched()
    {
        using var store = new TempStore();
        var location = store.Named();
        var folder = store.PathOf("no-such-folder");

        var ex = Assert.Throws<ProgressFileException>(() =>
            CheckpointSession.Start(location, Sessions.Options(o => o.ProgressFile = Path.Combine(folder, "progress.txt"))));

        Assert.Equal("ProgressFile", ex.ParamName);
        Assert.Contains("does not exist", ex.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder));
        Assert.False(location.Exists);
    }

    [Fact]
    public void A_progress_file_path_that_is_a_folder_is_refused()
    {
        using var store = new TempStore();
        var location = store.Named();
        var folder = Directory.CreateDirectory(store.PathOf("progress")).FullName;

        var ex = Assert.Throws<ProgressFileException>(() => CheckpointSession.Start(location, Sessions.Options(o => o.ProgressFile = folder)));

        Assert.Contains("is a folder", ex.Message, StringComparison.Ordinal);
        Assert.False(location.Exists);
    }
}
