using System.Collections.Generic;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Runs;

/// <summary>ProcessPipelined over the file store: every outcome comes back once, in input order, and the run resumes as usual.</summary>
public sealed class PipelinedTests
{
    [Fact]
    public void Pipelined_outcomes_come_back_once_each_in_input_order_with_skips_in_their_place()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["b"]);
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.Keep = true));

        var outcomes = new List<ItemOutcome>();
        foreach (var key in new[] { "a", "b", "c", "c", "d" })
        {
            outcomes.AddRange(session.ProcessPipelined(key, _ => key + "!"));
        }

        outcomes.AddRange(session.SettlePipelined());
        session.Finish();

        Assert.Equal(["a", "b", "c", "c", "d"], outcomes.Select(o => o.Key));
        Assert.Equal(
            [ItemOutcomeKind.Completed, ItemOutcomeKind.SkippedCompleted, ItemOutcomeKind.Completed, ItemOutcomeKind.SkippedDuplicate, ItemOutcomeKind.Completed],
            outcomes.Select(o => o.Kind));
        using var next = CheckpointSession.Start(location, Sessions.Options());
        Assert.Equal("d!", next.ReadSavedOutput("d"));
    }
}
