using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Progress;

public sealed class ProgressFileTests
{
    private static readonly DateTime s_now = new(2026, 11, 29, 12, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Done_does_not_count_the_item_in_flight()
    {
        // Three items seen: two completed, the third still running.
        var progress = new RunProgress("job", seen: 3, completed: 2, failed: 0, skipped: 0, total: 10, totalIsEstimate: false,
            rate: 1, elapsed: TimeSpan.FromSeconds(2), currentKey: "c", isFinal: false, state: CheckpointState.Running);

        var text = ProgressFileWriter.Format(progress, s_now);

        Assert.Contains("done: 2/10\n", text, StringComparison.Ordinal);
        Assert.Contains("percent: 20.0%\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_finished_run_knows_its_total()
    {
        var progress = new RunProgress("job", seen: 5, completed: 4, failed: 1, skipped: 0, total: null, totalIsEstimate: false,
            rate: 1, elapsed: TimeSpan.FromSeconds(5), currentKey: "e", isFinal: true, state: CheckpointState.Failed);

        var text = ProgressFileWriter.Format(progress, s_now);

        Assert.Contains("done: 5/5\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public void An_interrupted_run_does_not_claim_a_total()
    {
        var progress = new RunProgress("job", seen: 5, completed: 4, failed: 0, skipped: 0, total: null, totalIsEstimate: false,
            rate: 1, elapsed: TimeSpan.FromSeconds(5), currentKey: "e", isFinal: true, state: CheckpointState.Interrupted);

        var text = ProgressFileWriter.Format(progress, s_now);

        Assert.Contains("done: 4/unknown\n", text, StringComparison.Ordinal);
    }
}
