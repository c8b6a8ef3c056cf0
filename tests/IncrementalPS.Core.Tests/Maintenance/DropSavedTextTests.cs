using System;
using System.IO;
using System.Linq;
using System.Text;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Maintenance;

/// <summary>Reset-Checkpoint -Output: saved output and error texts go, item states stay.</summary>
public sealed class DropSavedTextTests
{
    private const string Output = "output of jane.doe@example.com";
    private const string ErrorText = "no mailbox for john.roe@example.com";

    [Fact]
    public void Saved_output_and_error_texts_are_gone_from_the_file_and_states_are_unchanged()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.MaxAttempts = 1)))
        {
            session.Complete("a", output: Output);
            session.Complete("b");
            session.Fail("c", ErrorText);
            session.Finish();
        }

        // A second run retries c and fails again: the first failure's record stays in the file until a rewrite.
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.RetryFailed = true)))
        {
            session.Fail("c", ErrorText + " (again)");
            Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete("a").Kind);
        }

        var before = CheckpointInspector.ReadItems(location).Select(i => (i.Key, i.State, i.Attempts)).ToList();
        var changed = CheckpointReset.DropSavedText(location);

        Assert.Equal(2, changed);
        var text = Encoding.UTF8.GetString(CheckpointFile.ReadBytes(location.FilePath));
        Assert.DoesNotContain(Output, text, StringComparison.Ordinal);
        Assert.DoesNotContain("john.roe", text, StringComparison.Ordinal);
        Assert.Equal(before, CheckpointInspector.ReadItems(location).Select(i => (i.Key, i.State, i.Attempts)).ToList());
        var failed = Assert.Single(CheckpointInspector.ReadItems(location, ItemState.Failed));
        Assert.Equal(SavedTextRemoval.RemovedMessage, failed.Error!.Message);
        Assert.Equal(typeof(InvalidOperationException).FullName, failed.Error.Type);
        Assert.All(CheckpointInspector.ReadItems(location), i => Assert.False(i.HasSavedOutput));
        CheckpointFile.ReadJsonLines(location.FilePath);

        // The checkpoint goes on working: a resume skips what was done and records the rest.
        using var resumed = CheckpointSession.Start(location, Sessions.Options());
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, resumed.Complete("a").Kind);
        Assert.Null(resumed.ReadSavedOutput("a"));
        Assert.Equal(ItemOutcomeKind.SkippedFailed, resumed.Complete("c").Kind);
    }

    [Fact]
    public void Record_times_and_durations_are_kept()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, [], failed: ["x"]);
        var before = Assert.Single(CheckpointInspector.ReadItems(location));

        CheckpointReset.DropSavedText(location);

        var after = Assert.Single(CheckpointInspector.ReadItems(location));
        Assert.Equal(before.UpdatedAt, after.UpdatedAt);
        Assert.Equal(before.Duration, after.Duration);
    }

    [Fact]
    public void It_is_refused_while_a_run_holds_the_checkpoint()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);
        using var session = CheckpointSession.Start(location, Sessions.Options());

        Assert.Throws<CheckpointLockedException>(() => CheckpointReset.DropSavedText(location));
    }

    [Theory]
    [MemberData(nameof(NotACheckpointTests.NotCheckpoints), MemberType = typeof(NotACheckpointTests))]
    public void It_refuses_a_file_that_is_not_a_checkpoint_and_leaves_it_and_no_lock(string content)
    {
        using var store = new TempStore();
        var location = store.FileWith("notes.txt", Encoding.UTF8.GetBytes(content));

        Assert.Throws<CheckpointFormatException>(() => CheckpointReset.DropSavedText(location));

        Assert.Equal(content, File.ReadAllText(location.FilePath));
        Assert.False(File.Exists(location.LockPath), "a .lock file was left beside the file");
    }

    [Fact]
    public void A_missing_checkpoint_is_not_found()
    {
        using var store = new TempStore();

        Assert.Throws<CheckpointNotFoundException>(() => CheckpointReset.DropSavedText(store.Named()));
        Assert.False(File.Exists(store.Named().LockPath), "a .lock file was left for a checkpoint that does not exist");
    }
}
