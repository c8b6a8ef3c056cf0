using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>A completion can carry the work's output, which a later run reads back instead of redoing the work.</summary>
public sealed class SavedOutputTests
{
    [Fact]
    public void A_later_run_reads_back_the_output_saved_with_a_completion()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.RunAll(location, Sessions.Options(o => o.Keep = true), ["a", "b"], attempt => attempt.Key == "a" ? "{\"rows\":42}" : null);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        var a = session.Complete("a");
        var b = session.Complete("b");

        Assert.Equal(ItemOutcomeKind.SkippedCompleted, a.Kind);
        Assert.True(a.HasSavedOutput);
        Assert.Equal("{\"rows\":42}", session.ReadSavedOutput("a"));
        Assert.Equal(ItemOutcomeKind.SkippedCompleted, b.Kind);
        Assert.False(b.HasSavedOutput);
        Assert.Null(session.ReadSavedOutput("b"));
        Assert.Null(session.ReadSavedOutput("never-seen"));
    }

    [Fact]
    public void Saved_output_is_readable_in_the_same_run_and_after_compaction()
    {
        using var store = new TempStore();
        var location = store.Named();
        var big = new string('x', 100_000);

        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true)))
        {
            session.Complete("big", big);
            session.Complete("empty", string.Empty);
            Assert.Equal(big, session.ReadSavedOutput("big"));
            session.Finish();
        }

        Assert.True(CheckpointInspector.ReadItems(location, keyFilter: k => k == "big")[0].HasSavedOutput);
        using var again = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));
        Assert.Equal(big, again.ReadSavedOutput("big"));
        Assert.Equal(string.Empty, again.ReadSavedOutput("empty"));
    }

    [Fact]
    public void A_failed_item_has_no_saved_output()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"], failed: ["b"]);

        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        Assert.Null(session.ReadSavedOutput("b"));
        Assert.False(session.Complete("b").HasSavedOutput);
    }
}
