using System;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Core.Tests.Support;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Store;

/// <summary>
/// Invoke-Incremental -Store costs one round trip per item (a result rides with the next item's claim), yet a result
/// is never left waiting for a next item that does not come, and a failed item's error stays in its place.
/// </summary>
public sealed class SharedStoreRoundTripTests : IDisposable
{
    private const int Items = 150;
    private readonly TestDatabase _db = new();
    private readonly ModuleRunspace _host = new();

    public SharedStoreRoundTripTests()
    {
        _host.SetVariable("cs", _db.ConnectionString);
    }

    public void Dispose()
    {
        _host.Dispose();
        _db.Dispose();
    }

    [Fact]
    public void A_run_commits_about_one_transaction_per_item_not_a_claim_and_a_result_each()
    {
        var before = _db.CommittedTransactions();

        using var shell = _host.Run($"1..{Items} | Invoke-Incremental job {{ }} -Store $cs -Keep", out _);

        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal((long)Items, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        // Joining, the schema check, the heartbeat and the run's end are a few transactions more; a claim trip and a
        // result trip per item would be twice the items. The session's connection is closed: its counts are in.
        var commits = _db.SettledCommittedTransactions() - before;
        Assert.True(commits < Items * 5 / 4, $"{commits} transactions for {Items} items");
    }

    [Fact]
    public void A_result_is_committed_while_the_input_waits_for_its_next_item()
    {
        // The upstream stalls after 'a' and, meanwhile, looks at the store from another connection.
        using var shell = _host.Run(
            """
            & {
                'a'
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                do { Start-Sleep -Milliseconds 50; $script:done = (Get-CheckpointItem job -Store $cs -State Completed).Count }
                until ($script:done -ge 1 -or [DateTime]::UtcNow -gt $deadline)
                'b'
            } | Invoke-Incremental job { "ran $_" } -Store $cs -Keep
            $script:done
            """,
            out var output);

        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(new object[] { "ran a", "ran b", 1 }, output.ToArray());
    }

    [Fact]
    public void A_result_is_committed_while_the_input_waits_even_after_an_item_whose_key_the_store_refused()
    {
        // The second item's key is not valid Unicode: the store refuses it, the run goes on, and the first item's result
        // must still not wait for a next item.
        using var shell = _host.Run(
            """
            & {
                'a'
                [string][char]0xD800
                $deadline = [DateTime]::UtcNow.AddSeconds(20)
                do { Start-Sleep -Milliseconds 50; $script:done = (Get-CheckpointItem job -Store $cs -State Completed).Count }
                until ($script:done -ge 1 -or [DateTime]::UtcNow -gt $deadline)
            } | Invoke-Incremental job { "ran $_" } -Store $cs -Keep -ErrorAction SilentlyContinue
            $script:done
            """,
            out var output);

        Assert.Equal(new object[] { "ran a", 1 }, output.ToArray());
    }

    [Fact]
    public void A_failed_items_error_is_written_before_the_next_items_output()
    {
        using var shell = _host.Run(
            "'a', 'b', 'c' | Invoke-Incremental job { if ($_ -eq 'b') { throw 'no b' }; \"ran $_\" } -Store $cs -Keep -ErrorAction Continue 2>&1 | ForEach-Object { \"$_\" }",
            out var output);

        var lines = output.Select(o => o?.ToString()).ToArray();
        Assert.Equal(3, lines.Length);
        Assert.Equal("ran a", lines[0]);
        Assert.StartsWith("Item 'b' failed", lines[1], StringComparison.Ordinal);
        Assert.Equal("ran c", lines[2]);
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 1"));
    }
}
