using System;
using System.Linq;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>What Stop() (Ctrl+C: StopProcessing) and break leave in the checkpoint.</summary>
public sealed class StopTests
{
    [Fact]
    public void Stop_leaves_completed_items_completed_and_the_item_in_flight_unfinished_never_failed()
    {
        using var host = new ModuleRunspace();
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));
        using var shell = host.Create("1..100 | Invoke-Incremental -Path $dir/c.jsonl { Start-Sleep -Milliseconds 100; $_ }");
        var running = shell.BeginInvoke();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!location.Exists || CheckpointInspector.ReadStatus(location).Completed < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not complete two items in 60 s");
            Thread.Sleep(20);
        }

        shell.Stop();
        Assert.Throws<System.Management.Automation.PipelineStoppedException>(() => shell.EndInvoke(running));

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        var items = CheckpointInspector.ReadItems(location);
        Assert.DoesNotContain(items, i => i.State == ItemState.Failed);
        Assert.Single(items, i => i.State == ItemState.InFlight);
        Assert.True(items.Count(i => i.State == ItemState.Completed) >= 2);
    }

    [Fact]
    public void Break_leaves_the_loop_writes_no_error_and_leaves_the_item_unfinished()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "foreach ($i in 1, 2) { 'w', 'x', 'y' | Invoke-Incremental -Path $dir/c.jsonl { if ($_ -eq 'x') { break }; $_ }; 'after' }; 'end'",
            out var output);

        Assert.Equal(["w", "end"], output);
        Assert.Empty(shell.Streams.Error);
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.Equal(ItemState.Completed, items.Single(i => i.Key == "w").State);
        Assert.Equal(ItemState.InFlight, items.Single(i => i.Key == "x").State);
        Assert.DoesNotContain(items, i => i.Key == "y");
    }
}
