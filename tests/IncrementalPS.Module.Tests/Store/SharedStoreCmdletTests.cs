using System;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Core.Tests.Support;
using IncrementalPS.Module.Tests.Support;
using Npgsql;
using Xunit;

namespace IncrementalPS.Module.Tests.Store;

/// <summary>The four cmdlets with -Store, against a real PostgreSQL server.</summary>
public sealed class SharedStoreCmdletTests : IDisposable
{
    private const string Password = "Sekr3t-pw-4711";
    private readonly TestDatabase _db = new();
    private readonly ModuleRunspace _host = new();

    public SharedStoreCmdletTests()
    {
        _host.SetVariable("cs", _db.ConnectionString);
    }

    public void Dispose()
    {
        _host.Dispose();
        _db.Dispose();
    }

    [Fact]
    public void Invoke_Incremental_records_each_item_in_the_store_and_a_second_run_skips_them()
    {
        using var first = _host.Run("1..5 | Invoke-Incremental job { \"ran $_\" } -Store $cs -Keep", out var output);
        using var second = _host.Run("1..6 | Invoke-Incremental job { \"ran $_\" } -Store $cs -Keep", out var again);

        Assert.False(first.HadErrors, string.Join("\n", first.Streams.Error));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => "ran " + i), output.Cast<string>());
        Assert.Equal(new[] { "ran 6" }, again.Cast<string>());
        Assert.Equal(6L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        Assert.Equal("IncrementalPS", ((string)_db.Scalar("SELECT min(writer) FROM incrementalps.workers")!).Split(' ')[0]);
    }

    [Fact]
    public void Get_CheckpointStatus_shows_counts_state_and_the_live_workers()
    {
        _host.Run("'a', 'b' | Invoke-Incremental job { if ($_ -eq 'b') { throw 'no b' } } -Store $cs -ErrorAction SilentlyContinue", out _).Dispose();
        using var worker = StartWorker("job");

        using var shell = _host.Run("Get-CheckpointStatus job -Store $cs", out var output);

        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var status = Assert.IsType<SharedCheckpointStatus>(Assert.Single(output));
        Assert.Equal(CheckpointState.Running, status.State);
        Assert.Equal(1, status.Completed);
        Assert.Equal(1, status.Failed);
        var live = Assert.Single(status.LiveWorkers);
        Assert.Equal(Environment.ProcessId, live.ProcessId);
        Assert.DoesNotContain(Password, status.Store, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_CheckpointStatus_without_a_name_lists_the_store_named_by_the_environment_variable()
    {
        _host.Run("1 | Invoke-Incremental one { } -Store $cs -Keep; 1 | Invoke-Incremental two { } -Store $cs -Keep", out _).Dispose();

        using var shell = _host.Run("$env:INCREMENTALPS_STORE = $cs; try { Get-CheckpointStatus; Get-CheckpointStatus t* } finally { $env:INCREMENTALPS_STORE = $null }", out var output);

        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(new[] { "one", "two", "two" }, output.Cast<SharedCheckpointStatus>().Select(s => s.Name));
        Assert.All(output.Cast<SharedCheckpointStatus>(), s => Assert.Equal(CheckpointState.Completed, s.State));
    }

    [Fact]
    public void Get_CheckpointItem_lists_the_items_with_the_error_of_a_failed_one()
    {
        _host.Run("'a', 'b' | Invoke-Incremental job { if ($_ -eq 'b') { throw 'no b' } } -Store $cs -ErrorAction SilentlyContinue", out _).Dispose();

        using var shell = _host.Run("Get-CheckpointItem job -Store $cs; Get-CheckpointItem job -Store $cs -State Failed", out var output);

        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var items = output.Cast<CheckpointItem>().ToList();
        Assert.Equal(new[] { "a", "b", "b" }, items.Select(i => i.Key));
        Assert.Equal(ItemState.Completed, items[0].State);
        Assert.Equal("no b", items[2].Error?.Message);
    }

    [Fact]
    public void Reset_Checkpoint_is_refused_while_a_worker_is_live_unless_Force()
    {
        _host.Run("1 | Invoke-Incremental job { } -Store $cs -Keep", out _).Dispose();
        using (var worker = StartWorker("job"))
        {
            using var refused = _host.Run("Reset-Checkpoint job -Store $cs -Force:$false -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue", out _);
            var error = Assert.Single(_host.Errors("e"));
            Assert.Equal("CheckpointInUse,IncrementalPS.Commands.ResetCheckpointCommand", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));

            using var forced = _host.Run("Reset-Checkpoint job -Store $cs -Force -Confirm:$false", out _);
            Assert.False(forced.HadErrors, string.Join("\n", forced.Streams.Error));
            Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
        }
    }

    [Fact]
    public void Reset_Checkpoint_Failed_makes_the_failed_items_run_again()
    {
        _host.Run("'a', 'b' | Invoke-Incremental job { if ($_ -eq 'b') { throw 'no b' } } -Store $cs -ErrorAction SilentlyContinue", out _).Dispose();

        using var reset = _host.Run("Reset-Checkpoint job -Store $cs -Failed", out _);
        using var again = _host.Run("'a', 'b' | Invoke-Incremental job { \"ran $_\" } -Store $cs", out var output);

        Assert.False(reset.HadErrors, string.Join("\n", reset.Streams.Error));
        Assert.Equal(new[] { "ran b" }, output.Cast<string>());
    }

    [Fact]
    public void The_failed_items_warning_names_the_store_parameter_but_never_its_value()
    {
        using var shell = _host.Run("'a', 'b' | Invoke-Incremental job { if ($_ -eq 'b') { throw 'no b' } } -Store $cs -ErrorAction SilentlyContinue", out _);

        var warning = Assert.Single(shell.Streams.Warning).Message;
        Assert.Contains("Get-CheckpointItem job -Store <the same store> -State Failed", warning, StringComparison.Ordinal);
        Assert.DoesNotContain(_db.ConnectionString, warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_Checkpoint_Output_drops_the_saved_texts_of_a_shared_checkpoint_and_keeps_it()
    {
        _host.Run("'a', 'b' | Invoke-Incremental job { if ($_ -eq 'b') { throw 'no b' } } -Store $cs -ErrorAction SilentlyContinue", out _).Dispose();

        using var reset = _host.Run("Reset-Checkpoint job -Store $cs -Output -Confirm:$false", out _);

        Assert.False(reset.HadErrors, string.Join("\n", reset.Streams.Error));
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 1"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE error_message LIKE '%no b%'"));
    }

    [Fact]
    public void Suspend_Checkpoint_asks_the_live_workers_of_a_shared_checkpoint_and_refuses_one_with_none()
    {
        _host.Run("1 | Invoke-Incremental job { } -Store $cs -Keep", out _).Dispose();
        using (StartWorker("job"))
        {
            using var asked = _host.Run("Suspend-Checkpoint job -Store $cs -Confirm:$false", out _);
            Assert.False(asked.HadErrors, string.Join("\n", asked.Streams.Error));
            Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints WHERE suspend_requested_at IS NOT NULL"));
        }

        using var refused = _host.Run("Suspend-Checkpoint job -Store $cs -Confirm:$false -ErrorVariable e -ErrorAction SilentlyContinue", out _);
        var error = Assert.Single(_host.Errors("e"));
        Assert.StartsWith("CheckpointNotRunning,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
    }

    [Fact]
    public void Get_CheckpointStatus_Wait_follows_a_shared_checkpoint_until_no_worker_is_live()
    {
        _host.Run("1 | Invoke-Incremental job { } -Store $cs -Keep", out _).Dispose();
        var worker = StartWorker("job");
        using var shell = _host.Create("Get-CheckpointStatus job -Store $cs -Wait");
        var watching = shell.BeginInvoke();
        var waited = !watching.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2));
        worker.Dispose();
        var output = shell.EndInvoke(watching).Select(o => o.BaseObject).ToList();

        Assert.True(waited, "-Wait ended while a worker was live");
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        var status = Assert.IsType<SharedCheckpointStatus>(Assert.Single(output));
        Assert.Empty(status.LiveWorkers);
    }

    [Fact]
    public void A_worker_at_the_end_of_its_input_waits_for_the_items_another_worker_holds()
    {
        using var release = new ManualResetEventSlim();
        using var holder = StartWorker("job");
        using var holding = new ManualResetEventSlim();
        var held = new Thread(() => holder.Process("b", _ =>
        {
            holding.Set();
            release.Wait();
            return null;
        }));
        held.Start();
        Assert.True(holding.Wait(TimeSpan.FromSeconds(30)));

        using var shell = _host.Create("'a', 'b', 'c' | Invoke-Incremental job { \"ran $_\" } -Store $cs -Keep");
        var running = shell.BeginInvoke();
        var reachedEnd = SpinWait.SpinUntil(() => (long)_db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0")! == 2, TimeSpan.FromSeconds(60));
        var waited = !running.AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(2));
        release.Set();
        held.Join();
        var output = shell.EndInvoke(running).Select(o => o.BaseObject).ToList();

        Assert.True(reachedEnd);
        Assert.True(waited, "Invoke-Incremental ended while another worker still held an item");
        Assert.Equal(new object[] { "ran a", "ran c" }, output);
        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(3L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [Fact]
    public void A_joining_worker_counts_the_items_other_workers_hold_as_held_not_unfinished()
    {
        using var release = new ManualResetEventSlim();
        using var holding = new ManualResetEventSlim();
        using var holder = StartWorker("job");
        var held = new Thread(() => holder.Process("b", _ =>
        {
            holding.Set();
            release.Wait();
            return null;
        }));
        held.Start();
        Assert.True(holding.Wait(TimeSpan.FromSeconds(30)));

        using var shell = _host.Run("'x' | Invoke-Incremental job { } -Store $cs -Keep -Verbose", out _);
        release.Set();
        held.Join();

        var resume = Assert.Single(shell.Streams.Verbose, v => v.Message.StartsWith("Resuming", StringComparison.Ordinal));
        Assert.Contains("0 unfinished to run again, 1 held by other live workers.", resume.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parallel_options_are_refused_with_a_PostgreSQL_store()
    {
        using var shell = _host.Run(Caught("1 | Invoke-Incremental job { } -Store $cs -ThrottleLimit 2"), out _);

        var error = Assert.Single(_host.Errors("e"));
        Assert.Equal("ConflictingParameters,IncrementalPS.Commands.InvokeIncrementalCommand", error.FullyQualifiedErrorId);
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM pg_namespace WHERE nspname = 'incrementalps'"));
    }

    [Fact]
    public void A_store_that_is_not_a_PostgreSQL_store_is_an_InvalidStore_error_naming_the_parameter()
    {
        using var shell = _host.Run(Caught("Get-CheckpointStatus job -Store /tmp/not-a-database"), out _);

        var error = Assert.Single(_host.Errors("e"));
        Assert.Equal("InvalidStore,IncrementalPS.Commands.GetCheckpointStatusCommand", error.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
        Assert.Equal("-Store", error.TargetObject);
        Assert.DoesNotContain("(Parameter", error.Exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_server_that_cannot_be_reached_is_a_StoreServerFailed_error_that_names_it_without_the_password()
    {
        var unreachable = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Host = "127.0.0.1", Port = 1, Password = Password, Timeout = 3 }.ConnectionString;
        _host.SetVariable("bad", unreachable);

        using var shell = _host.Run(
            Caught(
                "1 | Invoke-Incremental job { } -Store $bad",
                "Get-CheckpointStatus job -Store $bad",
                "Get-CheckpointItem job -Store $bad",
                "Reset-Checkpoint job -Store $bad -Force"),
            out _);

        var errors = _host.Errors("e");
        Assert.Equal(4, errors.Count);
        Assert.All(errors, e => Assert.StartsWith("StoreServerFailed,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.Equal(ErrorCategory.ConnectionError, e.CategoryInfo.Category));
        Assert.All(errors, e => Assert.Contains("postgres://", e.Exception.Message, StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain(Password, e.Exception.Message + e.TargetObject, StringComparison.Ordinal));
    }

    /// <summary>A script that runs each command with -ErrorAction Stop and collects its error records (terminating or not) in $e.</summary>
    private static string Caught(params string[] commands)
        => "$global:e = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new(); " +
           string.Concat(commands.Select(c => "try { " + c + " -ErrorAction Stop } catch { $global:e.Add($_) }; "));

    /// <summary>Another worker on the checkpoint, in this process: live (its heartbeat runs) until disposed.</summary>
    private CheckpointSession StartWorker(string name)
    {
        var target = PostgresTarget.Parse(_db.ConnectionString);
        return PostgresCheckpoint.Start(target, PostgresCheckpoint.Locate(target, name), new RunOptions { Keep = true }, TimeSpan.FromSeconds(30));
    }
}
