using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>The exact streams of a run that is asked to suspend while items are in flight.</summary>
public sealed class SuspendTests
{
    [Theory]
    [InlineData("")]
    [InlineData("-ThrottleLimit 2")]
    [InlineData("-BatchSize 1")]
    public void A_suspended_run_writes_the_output_of_its_recorded_items_one_warning_and_no_error_then_lets_the_script_go_on(string options)
    {
        using var host = new ModuleRunspace();
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));
        using var shell = host.Create($"1..40 | Invoke-Incremental -Path $dir/c.jsonl {options} {{ Start-Sleep -Milliseconds 300; \"did $_\" }}; 'after'");
        var output = new PSDataCollection<PSObject>();
        var running = shell.BeginInvoke<PSObject, PSObject>(null, output);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!location.Exists || CheckpointInspector.ReadStatus(location).Completed < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the run did not complete two items in 60 s");
            Thread.Sleep(20);
        }

        SuspendRequest.Place(location);
        shell.EndInvoke(running);

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Suspended, status.State);
        Assert.Equal(0, status.InFlight);
        var lines = new List<string>();
        foreach (var line in output)
        {
            lines.Add(line.ToString());
        }

        Assert.Equal("after", lines[lines.Count - 1]);
        // Only what was recorded wrote output: every item that started was finished and recorded.
        Assert.Equal(status.Completed, lines.Count - 1);
        Assert.True(status.Completed < 40);
        Assert.Empty(shell.Streams.Error);
        var warning = Assert.Single(shell.Streams.Warning);
        Assert.Contains("was suspended on request", warning.Message, StringComparison.Ordinal);
        Assert.Contains("Run the same command again to resume", warning.Message, StringComparison.Ordinal);
    }
}
