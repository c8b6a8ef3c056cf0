using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Snapshot;

/// <summary>
/// The ways a rename over a file fails on Windows, injected where <see cref="AtomicFile"/> renames: a replace that fails
/// after the target is gone (ReplaceFile's 1176, or 1177 with the old file under another name) must leave the new
/// content in place or in its temporary file, never neither; a sharing violation from a reader is retried.
/// </summary>
public sealed class WindowsReplaceFailureTests
{
    private const int UnableToMoveReplacement = unchecked((int)0x80070498);   // 1176
    private const int UnableToMoveReplacement2 = unchecked((int)0x80070499);  // 1177
    private const int SharingViolation = unchecked((int)0x80070020);

    [Theory]
    [InlineData(UnableToMoveReplacement)]
    [InlineData(UnableToMoveReplacement2)]
    public void A_replace_that_fails_after_the_target_is_gone_puts_the_new_file_in_its_place(int hresult)
    {
        using var store = new TempStore();
        var path = store.PathOf("data.txt");
        File.WriteAllText(path, "old");
        var calls = 0;

        WithMoves((source, target) =>
        {
            if (++calls == 1)
            {
                ReplaceFileFailure(target, hresult);
            }

            File.Move(source, target);
        }, () => AtomicFile.Write(path, s => s.Write("new"u8), durable: true));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Empty(Temps(store));
    }

    [Fact]
    public void A_replace_that_keeps_failing_after_the_target_is_gone_leaves_the_temporary_file_as_the_only_copy()
    {
        using var store = new TempStore();
        var path = store.PathOf("data.txt");
        File.WriteAllText(path, "old");

        var ex = Assert.Throws<IOException>(() => WithMoves(
            (_, target) => ReplaceFileFailure(target, UnableToMoveReplacement),
            () => AtomicFile.Write(path, s => s.Write("new"u8), durable: true)));

        Assert.Equal(UnableToMoveReplacement, ex.HResult);
        Assert.False(File.Exists(path));
        Assert.Equal("new", File.ReadAllText(Assert.Single(Temps(store))));
    }

    [Fact]
    public void A_compaction_whose_replace_fails_after_the_target_is_gone_keeps_every_record()
    {
        using var store = new TempStore();
        var location = store.Named("kept");
        Sessions.MakeKept(location, ["a", "b"], failed: ["c"]);
        var calls = 0;

        WithMoves((source, target) =>
        {
            if (++calls == 1 && target == location.FilePath)
            {
                ReplaceFileFailure(target, UnableToMoveReplacement);
            }

            File.Move(source, target, overwrite: true);
        }, () => CheckpointReset.ResetFailed(location));

        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(["a", "b"], items.Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
    }

    [Fact]
    public void A_rename_refused_for_a_moment_by_a_reader_is_retried()
    {
        using var store = new TempStore();
        var path = store.PathOf("data.txt");
        File.WriteAllText(path, "old");
        var calls = 0;

        WithMoves((source, target) =>
        {
            if (++calls <= 2)
            {
                throw new IOException("The process cannot access the file because it is being used by another process.", SharingViolation);
            }

            File.Move(source, target, overwrite: true);
        }, () => AtomicFile.Write(path, s => s.Write("new"u8), durable: false));

        Assert.Equal(3, calls);
        Assert.Equal("new", File.ReadAllText(path));
    }

    [Fact]
    public void A_run_refuses_a_missing_checkpoint_whose_only_copy_is_a_failed_rewrite_and_resumes_once_it_is_renamed_back()
    {
        using var store = new TempStore();
        var location = store.Named("orphan");
        Sessions.MakeKept(location, ["a", "b"], failed: ["c"]);
        Assert.ThrowsAny<Exception>(() => WithMoves(
            (source, target) =>
            {
                if (target == location.FilePath)
                {
                    ReplaceFileFailure(target, UnableToMoveReplacement);
                }

                File.Move(source, target, overwrite: true);
            },
            () => CheckpointReset.ResetFailed(location)));
        var rewrite = Assert.Single(TempFileName.Find(location.FilePath));
        var bytes = File.ReadAllBytes(rewrite);

        var error = Assert.Throws<CheckpointCorruptException>(() => Sessions.RunAll(location, Sessions.Options(), ["a", "b", "d"]));

        Assert.Contains(rewrite, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(location.FilePath));
        Assert.Equal(bytes, File.ReadAllBytes(rewrite));

        File.Move(rewrite, location.FilePath);
        var ran = new List<string>();
        var summary = Sessions.RunAll(location, Sessions.Options(), ["a", "b", "d"], attempt => { ran.Add(attempt.Key); return null; });

        Assert.Equal(["d"], ran);
        Assert.Equal(2, summary.Skipped);
    }

    [Fact]
    public void A_rewrite_killed_before_it_held_a_record_does_not_stop_a_new_run()
    {
        using var store = new TempStore();
        var location = store.Named("fresh");
        File.WriteAllText(TempFileName.For(location.FilePath), "{\"incrementalps\":");

        var summary = Sessions.RunAll(location, Sessions.Options(), ["a"]);

        Assert.Equal(1, summary.Completed);
    }

    /// <summary>What ReplaceFile without a backup name leaves on 1176 and 1177: the target gone from its name.</summary>
    private static void ReplaceFileFailure(string target, int hresult)
    {
        if (File.Exists(target))
        {
            File.Move(target, Path.Combine(Path.GetDirectoryName(target)!, "moved-away-by-replacefile"));
        }

        throw new IOException("Unable to move the replacement file to the file to be replaced.", hresult);
    }

    private static void WithMoves(Action<string, string> move, Action act)
    {
        AtomicFile.MoveOnThisThread = move;
        try
        {
            act();
        }
        finally
        {
            AtomicFile.MoveOnThisThread = null;
        }
    }

    private static string[] Temps(TempStore store) => Directory.GetFiles(store.Directory, ".*.tmp");
}
