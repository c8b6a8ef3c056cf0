using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Snapshot;

/// <summary>
/// A rewrite killed midway leaves a temporary file as large as the journal: the next run or reset removes those of
/// its own checkpoint, and nothing else.
/// </summary>
public sealed class TempFileTests
{
    private static readonly string[] s_notOurs =
    [
        ".other.checkpoint.jsonl.0123abcd.tmp",      // another checkpoint's
        ".owned.checkpoint.jsonl.0123ABCD.tmp",      // upper-case digits: not what the writer makes
        ".owned.checkpoint.jsonl.0123abc.tmp",       // 7 digits
        ".owned.checkpoint.jsonl.0123abcde.tmp",     // 9 digits
        ".owned.checkpoint.jsonl.0123abcg.tmp",      // not hex
        "owned.checkpoint.jsonl.0123abcd.tmp",       // no leading dot
        ".owned.checkpoint.jsonl.0123abcd.tmp.keep", // more after it
        ".owned.checkpoint.jsonl.0123abcd.tmpx",
        ".owned.checkpoint.jsonl.x.0123abcd.tmp",    // the temporary file of a checkpoint named owned.checkpoint.jsonl.x
        ".owned.checkpoint.jsonl.0123abcd.TMP",
        "owned.checkpoint.jsonl.bak",
    ];

    [Theory]
    [InlineData("run")]
    [InlineData("reset")]
    public void A_run_or_a_reset_removes_its_checkpoints_stale_temporary_files_and_nothing_else(string how)
    {
        using var store = new TempStore();
        var location = store.Named("owned");
        Sessions.MakeKept(location, ["a"], failed: ["b"]);
        var ours = new[] { ".owned.checkpoint.jsonl.0123abcd.tmp", ".owned.checkpoint.jsonl.ffffffff.tmp", ".owned.checkpoint.jsonl.owner.89abcdef.tmp" };
        foreach (var name in ours)
        {
            File.WriteAllText(store.PathOf(name), "a compaction was killed here");
        }

        foreach (var name in s_notOurs)
        {
            File.WriteAllText(store.PathOf(name), "not ours");
        }

        Directory.CreateDirectory(store.PathOf(".owned.checkpoint.jsonl.fedcba98.tmp"));

        if (how == "run")
        {
            using var session = CheckpointSession.Start(location, Sessions.Options());
        }
        else
        {
            CheckpointReset.ResetKeys(location, ["nothing"]);
        }

        Assert.All(ours, name => Assert.False(File.Exists(store.PathOf(name)), name));
        Assert.All(s_notOurs, name => Assert.Equal("not ours", File.ReadAllText(store.PathOf(name))));
        Assert.True(Directory.Exists(store.PathOf(".owned.checkpoint.jsonl.fedcba98.tmp")));
    }

    [Theory]
    [InlineData("run")]
    [InlineData("restart")]
    [InlineData("reset")]
    public void A_file_that_is_not_a_checkpoint_keeps_its_look_alike_temporary_files(string how)
    {
        using var store = new TempStore();
        var location = store.FileWith("notes.txt", System.Text.Encoding.UTF8.GetBytes("my notes\n"));
        var lookAlike = store.PathOf(".notes.txt.0badc0de.tmp");
        File.WriteAllText(lookAlike, "another program's");

        Action attempt = how switch
        {
            "run" => () => CheckpointSession.Start(location, Sessions.Options()).Dispose(),
            "restart" => () => CheckpointSession.Start(location, Sessions.Options(o => o.Restart = true)).Dispose(),
            _ => () => CheckpointReset.Remove(location),
        };

        Assert.IsType<CheckpointFormatException>(Record.Exception(attempt));
        Assert.Equal("another program's", File.ReadAllText(lookAlike));
        Assert.Equal("my notes\n", File.ReadAllText(location.FilePath));
    }

    [Fact]
    public void A_reader_removes_nothing()
    {
        using var store = new TempStore();
        var location = store.Named("owned");
        Sessions.MakeKept(location, ["a"]);
        var temp = store.PathOf(".owned.checkpoint.jsonl.0123abcd.tmp");
        File.WriteAllText(temp, "maybe a live compaction's");

        CheckpointInspector.ReadStatus(location);
        CheckpointInspector.ReadItems(location);

        Assert.True(File.Exists(temp));
    }

    [Fact]
    public void The_pattern_is_the_one_the_writer_uses()
    {
        using var store = new TempStore();
        var path = store.PathOf("owned.checkpoint.jsonl");

        var temp = TempFileName.For(path);

        Assert.Equal(store.Directory, Path.GetDirectoryName(temp));
        Assert.True(TempFileName.IsTempOf(Path.GetFileName(temp), "owned.checkpoint.jsonl"));
        Assert.False(TempFileName.IsTempOf(Path.GetFileName(temp), "owned.checkpoint"));
    }
}
