using System;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>What one failed item leaves in the error stream, $Error and -ErrorVariable, record by record.</summary>
public sealed class ItemFailureRecordTests
{
    private const string ItemFailedId = "ItemFailed,IncrementalPS.Commands.InvokeIncrementalCommand";

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void One_failed_item_is_one_ItemFailed_record_in_the_error_stream_Error_and_ErrorVariable(int maxAttempts)
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$Error.Clear(); 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl -MaxAttempts " + maxAttempts +
            " -RetryDelay 0 { if ($_ -eq 'a') { throw 'boom' }; \"ok $_\" } -ErrorVariable ev -WarningAction SilentlyContinue",
            out var output);

        Assert.Equal(["ok b"], output);
        var streamed = Assert.Single(shell.Streams.Error);
        var inVariable = Assert.Single(host.Errors("ev"));
        var inDollarError = Assert.Single(host.Errors("Error"));
        foreach (var record in new[] { streamed, inVariable, inDollarError })
        {
            Assert.Equal(ItemFailedId, record.FullyQualifiedErrorId);
            Assert.Equal("a", record.TargetObject is PSObject wrapped ? wrapped.BaseObject : record.TargetObject);
            Assert.Equal("boom", record.Exception.InnerException?.Message);
            Assert.Equal("Invoke-Incremental", record.InvocationInfo.MyCommand.Name);
            Assert.StartsWith("Item 'a' failed (attempt " + maxAttempts + "): boom.", record.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_statement_terminating_error_is_reachable_with_its_position_from_the_ItemFailed_record()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'a' | Invoke-Incremental -Path $dir/c.jsonl {\n  'before'\n  1/0\n  'after'\n} -WarningAction SilentlyContinue",
            out var output);

        Assert.Equal(["before"], output);
        var record = Assert.Single(shell.Streams.Error);
        Assert.Equal(ItemFailedId, record.FullyQualifiedErrorId);
        var original = record.Exception.InnerException;
        Assert.IsType<DivideByZeroException>(original?.InnerException);
        Assert.Equal(3, Assert.IsAssignableFrom<IContainsErrorRecord>(original).ErrorRecord.InvocationInfo.ScriptLineNumber);
        var item = Assert.Single(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))));
        Assert.Equal(ItemState.Failed, item.State);
        Assert.Equal("Attempted to divide by zero.", item.Error?.Message);
    }

    /// <summary>
    /// The checkpoint records the type that $_.Exception has in a PowerShell catch, never PowerShell's internal
    /// ParentContainsErrorRecordException (what the record of a 1/0 holds in place of its own exception).
    /// </summary>
    [Theory]
    [InlineData("1/0", "System.Management.Automation.RuntimeException")]
    [InlineData("throw 'boom'", "System.Management.Automation.RuntimeException")]
    [InlineData("[int]::Parse('x')", "System.Management.Automation.MethodInvocationException")]
    [InlineData("Get-Item -LiteralPath $dir/missing -ErrorAction Stop", "System.Management.Automation.ItemNotFoundException")]
    public void A_failed_item_is_recorded_with_the_type_a_catch_would_see(string block, string type)
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'a' | Invoke-Incremental -Path $dir/c.jsonl { " + block + " } -WarningAction SilentlyContinue -ErrorAction SilentlyContinue; " +
            "try { & { " + block + " } } catch { $_.Exception.GetType().FullName }",
            out var output);

        Assert.Equal([type], output);
        var item = Assert.Single(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))));
        Assert.Equal(ItemState.Failed, item.State);
        Assert.Equal(type, item.Error?.Type);
    }

    [Fact]
    public void A_non_terminating_error_passes_through_as_itself_and_the_item_completes()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$Error.Clear(); 'a' | Invoke-Incremental -Path $dir/c.jsonl -Keep { Write-Error 'careful'; 'done' } -ErrorVariable ev",
            out var output);

        Assert.Equal(["done"], output);
        Assert.Equal("careful", Assert.Single(shell.Streams.Error).ToString());
        Assert.Equal("careful", Assert.Single(host.Errors("ev")).ToString());
        Assert.Equal("careful", Assert.Single(host.Errors("Error")).ToString());
        var item = Assert.Single(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))));
        Assert.Equal(ItemState.Completed, item.State);
    }

    [Fact]
    public void Non_terminating_errors_go_to_the_cmdlets_error_stream_once_in_order_with_the_output()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "$Error.Clear(); $all = & { 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl -Keep -ErrorVariable ev { " +
            "if ($_ -eq 'a') { Write-Error \"we $_\"; Get-Item $dir/missing }; \"out $_\" }; $global:ev = $ev } 2>&1; $all",
            out var output);

        Assert.Equal(4, output.Count);
        Assert.Equal("we a", Assert.IsType<ErrorRecord>(output[0]).ToString());
        Assert.Equal("PathNotFound,Microsoft.PowerShell.Commands.GetItemCommand", Assert.IsType<ErrorRecord>(output[1]).FullyQualifiedErrorId);
        Assert.Equal(["out a", "out b"], output.Skip(2));
        Assert.Empty(shell.Streams.Error);
        Assert.Equal(2, host.Errors("ev").Count);
        Assert.Equal(2, host.Errors("Error").Count);
        Assert.All(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))), item => Assert.Equal(ItemState.Completed, item.State));
    }

    [Fact]
    public void A_cmdlets_terminating_error_is_recorded_as_the_cmdlet_raised_it()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'a' | Invoke-Incremental -Path $dir/c.jsonl { 'bad' | ConvertFrom-Json } -WarningAction SilentlyContinue",
            out _);

        var record = Assert.Single(shell.Streams.Error);
        var original = Assert.IsAssignableFrom<IContainsErrorRecord>(record.Exception.InnerException).ErrorRecord;
        Assert.Equal("System.ArgumentException,Microsoft.PowerShell.Commands.ConvertFromJsonCommand", original.FullyQualifiedErrorId);
        Assert.StartsWith("Conversion from JSON failed", record.Exception.InnerException!.Message, StringComparison.Ordinal);
        var item = Assert.Single(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))));
        Assert.StartsWith("Conversion from JSON failed", item.Error?.Message, StringComparison.Ordinal);
        Assert.Equal(typeof(ArgumentException).FullName, item.Error?.Type);
        Assert.Equal(original.CategoryInfo.Category.ToString(), item.Error?.Category);
    }

    [Fact]
    public void A_cmdlets_error_category_is_the_checkpoints_not_NotSpecified()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'a' | Invoke-Incremental -Path $dir/c.jsonl { Invoke-RestMethod http://127.0.0.1:1/ -TimeoutSec 5 } -WarningAction SilentlyContinue",
            out _);

        var record = Assert.Single(shell.Streams.Error);
        var original = Assert.IsAssignableFrom<IContainsErrorRecord>(record.Exception.InnerException).ErrorRecord;
        Assert.StartsWith("WebCmdletWebResponseException,", original.FullyQualifiedErrorId, StringComparison.Ordinal);
        var item = Assert.Single(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))));
        Assert.NotEqual(nameof(ErrorCategory.NotSpecified), item.Error?.Category);
        Assert.Equal(original.CategoryInfo.Category.ToString(), item.Error?.Category);
        Assert.Equal(original.Exception.GetType().FullName, item.Error?.Type);
    }

    [Fact]
    public void A_nested_runs_CheckpointLocked_is_the_items_error_with_its_id_and_category()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "'a' | Invoke-Incremental -Path $dir/c.jsonl -Keep { 'x' | Invoke-Incremental -Path $dir/c.jsonl { } } -WarningAction SilentlyContinue",
            out _);

        var record = Assert.Single(shell.Streams.Error);
        var original = Assert.IsAssignableFrom<IContainsErrorRecord>(record.Exception.InnerException).ErrorRecord;
        Assert.Equal("CheckpointLocked,IncrementalPS.Commands.InvokeIncrementalCommand", original.FullyQualifiedErrorId);
        var item = Assert.Single(CheckpointInspector.ReadItems(CheckpointLocation.FromPath(host.PathOf("c.jsonl"))));
        Assert.Equal(nameof(ErrorCategory.ResourceBusy), item.Error?.Category);
        Assert.DoesNotContain("Invoke", item.Error?.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_item_is_its_own_error_and_the_run_goes_on()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run("'a', $null, 'c' | Invoke-Incremental -Path $dir/c.jsonl { $_ }", out var output);

        Assert.Equal(["a", "c"], output);
        var record = Assert.Single(shell.Streams.Error);
        Assert.Equal("KeyUnavailable,IncrementalPS.Commands.InvokeIncrementalCommand", record.FullyQualifiedErrorId);
        Assert.DoesNotContain("Fix -Key", record.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_item_without_a_key_keeps_the_run_from_claiming_every_item_completed()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "[pscustomobject]@{ A = 1 }, [pscustomobject]@{ B = 2 } | Invoke-Incremental -Path $dir/c.jsonl -Key A { 'x' } -Verbose",
            out var output);

        Assert.Equal(["x"], output);
        Assert.Equal("KeyUnavailable,IncrementalPS.Commands.InvokeIncrementalCommand", Assert.Single(shell.Streams.Error).FullyQualifiedErrorId);
        Assert.StartsWith("1 item(s) had no key and were not run", Assert.Single(shell.Streams.Warning).Message, StringComparison.Ordinal);
        Assert.DoesNotContain(shell.Streams.Verbose, v => v.Message.Contains("Every item completed", StringComparison.Ordinal));
        Assert.Contains(shell.Streams.Verbose, v => v.Message.Contains("2 items seen, 1 completed, 0 failed, 0 skipped, 1 without a key", StringComparison.Ordinal));
        Assert.True(System.IO.File.Exists(host.PathOf("c.jsonl")), "the checkpoint was removed as if every item completed");
    }
}
