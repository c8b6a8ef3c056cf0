using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Store;

/// <summary>
/// Invoke-Incremental -Store -ReadAhead N holds back up to N items so that the store claims their keys in the same trip:
/// workers on the same input stop paying a trip for each item another holds. Items still run once each, in order.
/// </summary>
public sealed class SharedStoreReadAheadTests : IDisposable
{
    private const int Items = 240;
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void Items_held_back_run_in_input_order_once_each_and_the_rest_run_at_the_end_of_the_input()
    {
        using var host = Host();

        using var shell = host.Run("1..30 | Invoke-Incremental job { \"ran $_\" } -Store $cs -ReadAhead 8 -Keep", out var output);

        Assert.False(shell.HadErrors, string.Join("\n", shell.Streams.Error));
        Assert.Equal(Enumerable.Range(1, 30).Select(i => (object?)$"ran {i}"), output);
        Assert.Equal(30L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE reserved"));
    }

    [Fact]
    public void Two_workers_on_the_same_input_make_about_one_trip_per_item_between_them()
    {
        using var first = Host();
        using var second = Host();
        var start = System.IO.Path.Combine(first.Directory, "go");

        // Both open the checkpoint, then wait for the same moment to start on the same input: in lockstep, each key the
        // other holds would cost a trip to be told so, without the keys read ahead.
        var script = $"& {{ while (-not (Test-Path '{start}')) {{ Start-Sleep -Milliseconds 10 }}; 1..{Items} }} | " +
            "Invoke-Incremental job { $_ } -Store $cs -ReadAhead 48 -Keep";
        var before = _db.CommittedTransactions();
        var results = new (List<string> Errors, IReadOnlyList<object?> Output)[2];
        var workers = new[] { first, second }.Select((host, i) => new Thread(() =>
        {
            using var shell = host.Run(script, out var output);
            results[i] = (shell.Streams.Error.Select(e => e.ToString()).ToList(), output);
        })).ToList();
        workers.ForEach(worker => worker.Start());
        Thread.Sleep(TimeSpan.FromSeconds(2));
        System.IO.File.WriteAllText(start, string.Empty);
        workers.ForEach(worker => worker.Join());

        Assert.All(results, result => Assert.Empty(result.Errors));
        var ran = results.SelectMany(result => result.Output).Select(o => Convert.ToInt32(o, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(1, Items), ran.Order());
        var commits = _db.SettledCommittedTransactions() - before;
        Assert.True(commits < Items * 4 / 3, $"{commits} transactions for {Items} items and 2 workers");
    }

    [Fact]
    public void An_item_whose_key_the_store_refuses_is_that_items_error_only_even_while_held_back_with_others()
    {
        using var host = Host();

        // The second key is not valid Unicode: it must not go to the server with the keys claimed ahead either.
        using var shell = host.Run(
            "'a', [string][char]0xD800, 'b' | Invoke-Incremental job { \"ran $_\" } -Store $cs -ReadAhead 4 -Keep -ErrorAction SilentlyContinue -ErrorVariable failed; $failed.Count",
            out var output);

        Assert.Equal(new object?[] { "ran a", "ran b", 1 }, output);
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void An_item_whose_key_has_a_NUL_character_is_that_items_error_and_the_run_goes_on(int readAhead)
    {
        using var host = Host();

        // PostgreSQL text holds no NUL: the run used to end with the server's error at this item.
        using var shell = host.Run(
            "'a', \"x`0y\", 'b' | Invoke-Incremental job { \"ran $_\" } -Store $cs -ReadAhead " + readAhead +
            " -Keep -ErrorAction SilentlyContinue -ErrorVariable failed; $failed.Count; $failed[0].FullyQualifiedErrorId.Split(',')[0]; $failed[0].ToString() -match 'NUL'; $failed[0].ToString() -match '[(]Parameter'",
            out var output);

        Assert.Equal(new object?[] { "ran a", "ran b", 1, "KeyUnavailable", true, false }, output);
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
    }

    [Fact]
    public void Stopped_with_items_held_back_they_are_left_unrun_and_unclaimed_and_the_next_run_does_them_once()
    {
        using var host = Host();

        // Item 20 blocks until the run is stopped: items 21 to 28 are held back behind it, claimed ahead. It waits in a
        // loop of .NET sleeps, which the stop ends between two of them: a first Start-Sleep would load its module then,
        // and a stop (or a busy machine) during that load fails the item instead.
        using (var first = host.Create("1..60 | Invoke-Incremental job { if ($_ -eq 20) { while ($true) { [System.Threading.Thread]::Sleep(20) } }; $_ } -Store $cs -ReadAhead 8 -Keep"))
        {
            var running = first.BeginInvoke();
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (CompletedSoFar() < 19 && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(50);
            }

            first.Stop();
            Assert.Throws<System.Management.Automation.PipelineStoppedException>(() => first.EndInvoke(running));
        }

        Assert.Equal(19L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        Assert.Equal(0L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE reserved"));
        Assert.Equal(0L, _db.Scalar("SELECT coalesce(sum(deaths), 0) FROM incrementalps.items"));

        using var second = host.Run("1..60 | Invoke-Incremental job { $_ } -Store $cs -ReadAhead 8 -Keep", out var output);

        Assert.False(second.HadErrors, string.Join("\n", second.Streams.Error));
        Assert.Equal(Enumerable.Range(20, 41).Select(i => (object?)i), output);
    }

    [Fact]
    public void ReadAhead_without_a_PostgreSQL_store_is_refused_before_the_checkpoint_is_touched()
    {
        using var host = new ModuleRunspace();

        var name = "readahead-" + Guid.NewGuid().ToString("N");

        using var shell = host.Run($"1..3 | Invoke-Incremental {name} -ReadAhead 4 {{ $_ }}", out var output);

        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("ConflictingParameters,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.Contains("PostgreSQL", error.Exception.Message, StringComparison.Ordinal);
        Assert.Empty(output);
        Assert.False(IncrementalPS.Store.CheckpointResolver.FromName(name).Exists);
    }

    /// <summary>Items completed in the store so far; 0 before the first worker has made its tables.</summary>
    private long CompletedSoFar()
    {
        try
        {
            return (long)_db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0")!;
        }
        catch (Npgsql.PostgresException ex) when (ex.SqlState == Npgsql.PostgresErrorCodes.UndefinedTable)
        {
            return 0;
        }
    }

    private ModuleRunspace Host()
    {
        var host = new ModuleRunspace();
        host.SetVariable("cs", _db.ConnectionString);
        return host;
    }
}
