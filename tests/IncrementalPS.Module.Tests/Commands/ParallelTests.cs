using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>Invoke-Incremental -ThrottleLimit and -TimeoutSeconds: items in runspaces, recorded through one session.</summary>
public sealed class ParallelTests
{
    [Fact]
    public void Forty_sleeping_items_at_throttle_8_run_several_at_once_never_more_than_8_and_are_all_recorded()
    {
        using var host = new ModuleRunspace();
        var probe = new ConcurrencyProbe();
        host.SetVariable("probe", probe);

        // $using: hands the same probe to every runspace.
        using var shell = host.Run(
            "1..40 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 8 -Keep { ($using:probe).Enter(); Start-Sleep -Milliseconds 250; ($using:probe).Leave(); $_ }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal(Enumerable.Range(1, 40), output.Cast<int>().OrderBy(i => i));
        Assert.InRange(probe.Max, 2, 8);
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.Equal(40, items.Count);
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
        Assert.All(items, i => Assert.Equal(1, i.Attempts));
    }

    [Fact]
    public void Using_passes_the_callers_variables_in_and_the_callers_other_variables_stay_out_of_reach()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$factor = 10; $secret = 'no'; 1..3 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 { \"$($_ * $using:factor)$secret\" }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal(["10", "20", "30"], output.Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
    }

    [Fact]
    public void A_block_with_using_runs_in_a_runspace_also_at_throttle_limit_1()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$factor = 10; 1..3 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 1 { $_ * $using:factor }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal([10, 20, 30], output.Cast<int>());
    }

    [Fact]
    public void At_throttle_limit_1_a_block_whose_only_using_is_in_an_inner_script_block_runs_in_the_callers_scope()
    {
        using var host = new ModuleRunspace();

        // The inner block's $using: belongs to the command it is given to (Invoke-Command -ComputerName), as in 0.1.0.
        using var shell = host.Run(
            "$seen = 'caller'; 1 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 1 { $seen; if ($false) { Invoke-Command -ComputerName s { $using:h.a } } }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal(["caller"], output);
    }

    [Fact]
    public void A_using_with_a_member_is_refused_with_an_error_that_names_the_runspaces_not_BatchSize()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Create("$h = @{ a = 1 }; 1 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 { $using:h.a }");

        shell.Invoke();
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("InvalidRunOption,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("$using:h.a", error.Exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("BatchSize", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_using_of_the_blocks_own_variable_in_a_nested_parallel_command_is_left_to_that_command()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$factor = 10; 1..2 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 { $v = $_ * $using:factor; 1 | ForEach-Object -Parallel { $using:v + 1 } }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal([11, 21], output.Cast<int>().OrderBy(i => i));
    }

    [Fact]
    public void Using_an_undefined_variable_is_a_terminating_error_before_any_item_runs()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Create("1..3 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 { $using:nothere }");

        shell.Invoke();
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("InvalidRunOption,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("nothere", error.Exception.Message, StringComparison.Ordinal);
        Assert.False(CheckpointLocation.FromPath(host.PathOf("c.jsonl")).Exists);
    }

    [Theory]
    [InlineData("break")]
    [InlineData("continue")]
    [InlineData("exit")]
    public void Break_continue_or_exit_in_an_items_block_leaves_it_unfinished_and_ends_the_run_never_recorded_done(string keyword)
    {
        // They used to end only that item's block in its runspace, and the item was recorded completed: its work never
        // done, and never run again.
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "do { 1..8 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 { Start-Sleep -Milliseconds 50; if ($_ -eq 3) { " + keyword +
            " }; \"did $_\" } } while ($false); 'after the loop'",
            out var output);

        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("ScriptBlockLeft,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal("after the loop", output[^1]);
        Assert.DoesNotContain("did 3", output);
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.Equal(ItemState.InFlight, items.Single(i => i.Key == "3").State);
        Assert.All(items.Where(i => i.State == ItemState.Completed), i => Assert.Contains("did " + i.Key, output));
    }

    [Fact]
    public void A_failing_item_is_recorded_failed_with_one_ItemFailed_error_and_the_others_complete()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "1..6 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 3 { if ($_ -eq 4) { Get-Item -LiteralPath /no/such/file -ErrorAction Stop }; $_ }",
            out var output);

        Assert.Equal([1, 2, 3, 5, 6], output.Cast<int>().OrderBy(i => i));
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("ItemFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.Equal(ItemState.Failed, items.Single(i => i.Key == "4").State);
        Assert.Equal(5, items.Count(i => i.State == ItemState.Completed));
    }

    [Fact]
    public void Items_write_every_stream_to_the_callers_streams_and_a_non_terminating_error_does_not_fail_the_item()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -Keep -Verbose { " +
            "Write-Warning \"w$_\"; Write-Verbose \"v$_\"; Write-Information \"i$_\"; Write-Error \"e$_\"; $_ }",
            out var output);

        Assert.Equal(["a", "b"], output.Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(["ea", "eb"], shell.Streams.Error.Select(e => e.ToString()).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Equal(["wa", "wb"], shell.Streams.Warning.Select(w => w.Message).OrderBy(s => s, StringComparer.Ordinal));
        Assert.Contains("va", shell.Streams.Verbose.Select(v => v.Message));
        Assert.Contains("vb", shell.Streams.Verbose.Select(v => v.Message));
        Assert.Equal(["ia", "ib"], shell.Streams.Information.Select(i => i.MessageData.ToString()).OrderBy(s => s, StringComparer.Ordinal));
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
    }

    [Fact]
    public void With_ErrorActionPreference_Stop_an_item_that_writes_an_error_is_recorded_failed_and_stops_the_run_as_in_sequential_mode()
    {
        using var host = new ModuleRunspace();
        const string Run =
            "$ErrorActionPreference = 'Stop'; try { 1..4 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -Keep { " +
            "if ($_ -eq 2) { Write-Error boom }; Start-Sleep -Milliseconds 100; $_ } } catch { $caught += @($_.FullyQualifiedErrorId) }";
        using (host.Run("$caught = @(); " + Run, out _))
        {
        }

        var first = Assert.Single((object[])host.Variable("caught")!);
        Assert.StartsWith("ItemFailed,", first.ToString(), StringComparison.Ordinal);
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));
        var failed = CheckpointInspector.ReadItems(location).Single(i => i.Key == "2");
        Assert.Equal(ItemState.Failed, failed.State);
        Assert.Equal(1, failed.Attempts);

        // The resume skips the failed item and finishes the others.
        using (host.Run("$caught = @(); " + Run, out _))
        {
        }

        Assert.Empty((object[])host.Variable("caught")!);
        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(ItemState.Failed, items.Single(i => i.Key == "2").State);
        Assert.Equal(3, items.Count(i => i.State == ItemState.Completed));
    }

    [Fact]
    public void A_second_run_skips_the_items_done_and_replays_their_saved_output()
    {
        using var host = new ModuleRunspace();
        host.Run("1..4 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -Keep -ReplayOutput { \"out$_\" }", out _).Dispose();
        using var shell = host.Run(
            "$global:ran = [Collections.Concurrent.ConcurrentBag[object]]::new(); " +
            "1..5 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -Keep -ReplayOutput { ($using:ran).Add($_); \"out$_\" }",
            out var output);

        Assert.Equal(["out1", "out2", "out3", "out4", "out5"], output.Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
        var ran = ((System.Collections.IEnumerable)host.Variable("ran")!).Cast<object>().ToList();
        Assert.Equal([5], ran.Select(r => r is PSObject p ? p.BaseObject : r).Cast<int>());
    }

    [Fact]
    public void A_retried_item_completes_on_its_second_attempt_and_the_retry_is_reported_verbose()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$tries = [Collections.Concurrent.ConcurrentDictionary[int,int]]::new(); " +
            "1..3 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -MaxAttempts 2 -RetryDelay 0 -Keep -Verbose { " +
            "if (($using:tries).AddOrUpdate($_, 1, { param($k, $v) $v + 1 }) -eq 1 -and $_ -eq 2) { throw 'first try' }; $_ }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal([1, 2, 3], output.Cast<int>().OrderBy(i => i));
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.Equal(2, items.Single(i => i.Key == "2").Attempts);
        Assert.Contains(shell.Streams.Verbose, v => v.Message.StartsWith("Attempt 1 of 2 for '2' failed: first try.", StringComparison.Ordinal));
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
    }

    [Fact]
    public void An_item_waiting_to_be_retried_holds_no_place_so_the_others_still_run_throttle_limit_at_once()
    {
        using var host = new ModuleRunspace();
        var probe = new ConcurrencyProbe();
        host.SetVariable("probe", probe);

        // 'a' fails at once and then waits 5 s; were its place held, b to g would run one at a time.
        using var shell = host.Run(
            "$tries = [Collections.Concurrent.ConcurrentDictionary[string,int]]::new(); " +
            "'a', 'b', 'c', 'd', 'e', 'f', 'g' | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -MaxAttempts 2 -RetryDelay 5 -Keep { " +
            "if ($_ -eq 'a') { if (($using:tries).AddOrUpdate($_, 1, { param($k, $v) $v + 1 }) -eq 1) { throw 'first try' }; return } " +
            "($using:probe).Enter(); Start-Sleep -Milliseconds 300; ($using:probe).Leave() }",
            out _);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal(2, probe.Max);
        var items = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")));
        Assert.All(items, i => Assert.Equal(ItemState.Completed, i.State));
    }

    [Fact]
    public void Items_waiting_to_be_retried_stay_within_twice_the_throttle_limit_in_flight()
    {
        using var host = new ModuleRunspace();
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));

        // Every item fails at once and waits 1 s to be retried: were they not capped, all 12 would be in flight.
        using var shell = host.Create(
            "1..12 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -MaxAttempts 2 -RetryDelay 1 -Keep { throw 'no' }");
        var running = shell.BeginInvoke();
        var most = 0L;
        while (!running.IsCompleted)
        {
            if (location.Exists)
            {
                most = Math.Max(most, CheckpointInspector.ReadStatus(location).InFlight);
            }

            Thread.Sleep(10);
        }

        shell.EndInvoke(running);
        Assert.InRange(most, 1, 4);
        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(12, items.Count(i => i.State == ItemState.Failed && i.Attempts == 2));
    }

    [Fact]
    public void Items_that_were_in_flight_when_the_process_died_each_run_alone_on_resume()
    {
        using var host = new ModuleRunspace();
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));

        // A copy of the checkpoint and its in-flight marks while items 5 to 8 run is what a kill -9 leaves behind.
        using (var first = host.Create(
            "1..8 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 4 { if ($_ -gt 4) { Start-Sleep -Seconds 600 }; $_ }"))
        {
            var running = first.BeginInvoke();
            WaitFor(() => location.Exists && CheckpointInspector.ReadStatus(location).Completed >= 4 && CheckpointInspector.ReadStatus(location).InFlight >= 4);
            System.IO.File.Copy(location.FilePath, host.PathOf("d.jsonl"));
            System.IO.File.Copy(location.InFlightPath, CheckpointLocation.FromPath(host.PathOf("d.jsonl")).InFlightPath);
            first.Stop();
            Assert.Throws<PipelineStoppedException>(() => first.EndInvoke(running));
        }

        var probe = new ConcurrencyProbe();
        host.SetVariable("probe", probe);
        using var shell = host.Run(
            "1..8 | Invoke-Incremental -Path $dir/d.jsonl -ThrottleLimit 4 -Keep { ($using:probe).Enter(); Start-Sleep -Milliseconds 200; ($using:probe).Leave(); $_ }",
            out var output);

        Assert.Empty(shell.Streams.Error);
        Assert.Equal([5, 6, 7, 8], output.Cast<int>().OrderBy(i => i));
        Assert.Equal(1, probe.Max);
    }

    [Fact]
    public void Stop_stops_every_running_item_and_leaves_them_in_flight_never_failed()
    {
        using var host = new ModuleRunspace();
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));

        // Items 1..4 finish at once; the rest would sleep ten minutes each if Stop did not stop them.
        using var shell = host.Create(
            "1..20 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 4 { if ($_ -gt 4) { Start-Sleep -Seconds 600 }; $_ }");
        var running = shell.BeginInvoke();
        WaitFor(() => location.Exists && CheckpointInspector.ReadStatus(location).Completed >= 4 && CheckpointInspector.ReadStatus(location).InFlight >= 4);

        shell.Stop();
        Assert.Throws<PipelineStoppedException>(() => shell.EndInvoke(running));

        var status = CheckpointInspector.ReadStatus(location);
        Assert.Equal(CheckpointState.Interrupted, status.State);
        var items = CheckpointInspector.ReadItems(location);
        Assert.DoesNotContain(items, i => i.State == ItemState.Failed);
        Assert.Equal(4, items.Count(i => i.State == ItemState.Completed));
        Assert.Equal(4, items.Count(i => i.State == ItemState.InFlight));
    }

    [Fact]
    public void Select_Object_First_downstream_stops_the_run_cleanly_leaving_the_rest_to_a_resume()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "1..30 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 3 { Start-Sleep -Milliseconds 50; $_ } | Select-Object -First 2",
            out var output);

        Assert.Equal(2, output.Count);
        Assert.Empty(shell.Streams.Error);
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));
        Assert.Equal(CheckpointState.Interrupted, CheckpointInspector.ReadStatus(location).State);
        Assert.DoesNotContain(CheckpointInspector.ReadItems(location), i => i.State == ItemState.Failed);
    }

    [Fact]
    public void Select_Object_First_downstream_records_completed_only_items_whose_output_was_emitted()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "1..300 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 8 { Start-Sleep -Milliseconds 30; $_ } | Select-Object -First 3",
            out var output);

        Assert.Equal(3, output.Count);
        var emitted = output.Select(o => o!.ToString()).ToHashSet(StringComparer.Ordinal);
        var completed = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl")))
            .Where(i => i.State == ItemState.Completed)
            .Select(i => i.Key)
            .ToList();
        Assert.All(completed, key => Assert.Contains(key, emitted));

        // As in the sequential mode: the items written before the stop are done; the one whose write Select-Object
        // stopped on stays in flight.
        Assert.Equal(2, completed.Count);
    }

    [Fact]
    public void An_item_running_past_the_timeout_is_stopped_recorded_failed_as_OperationTimeout_and_retried()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'slow', 'fast' | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -TimeoutSeconds 1 -MaxAttempts 2 -RetryDelay 0 { " +
            "if ($_ -eq 'slow') { Start-Sleep -Seconds 600 }; $_ }",
            out var output);

        Assert.Equal(["fast"], output);
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("ItemFailed,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Equal(ErrorCategory.OperationTimeout, error.CategoryInfo.Category);
        var slow = CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))).Single(i => i.Key == "slow");
        Assert.Equal(ItemState.Failed, slow.State);
        Assert.Equal(2, slow.Attempts);
        Assert.Equal("OperationTimeout", slow.Error!.Category);
    }

    [Fact]
    public void A_timeout_longer_than_a_timer_can_wait_is_a_parameter_error_before_any_item_runs()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Create("1 | Invoke-Incremental -Path $dir/c.jsonl -TimeoutSeconds 2147483647 { $_ }");

        shell.Invoke();
        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.False(CheckpointLocation.FromPath(host.PathOf("c.jsonl")).Exists);
    }

    [Fact]
    public void The_progress_bar_has_the_items_own_progress_as_children_and_ends_Completed()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "1..6 | Invoke-Incremental -Path $dir/c.jsonl -ThrottleLimit 2 -TotalCount 6 { " +
            "Write-Progress -Id 1 -Activity \"item $_\" -Status working -PercentComplete 50; Start-Sleep -Milliseconds 300; $_ }",
            out _);

        var records = shell.Streams.Progress.ToList();
        var bar = records.Where(r => r.ActivityId == 0x1C4E).ToList();
        Assert.NotEmpty(bar);
        Assert.Contains("(throttle 2)", bar[0].StatusDescription, StringComparison.Ordinal);
        Assert.Equal(ProgressRecordType.Completed, bar[^1].RecordType);
        var children = records.Where(r => r.ParentActivityId == 0x1C4E).ToList();
        Assert.NotEmpty(children);
        Assert.Contains(children, c => c.Activity.StartsWith("item ", StringComparison.Ordinal) && c.RecordType == ProgressRecordType.Processing);
        Assert.Contains(children, c => c.RecordType == ProgressRecordType.Completed);
    }

    private static void WaitFor(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 60 s");
            Thread.Sleep(20);
        }
    }
}
