using System;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary><c>incps run --store</c> costs one round trip per item: each result is committed with the next claim.</summary>
public sealed class SharedStoreRoundTripTests : IDisposable
{
    private const int Items = 120;
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [PosixFact]
    public void A_worker_commits_about_one_transaction_per_item_not_a_claim_and_a_result_each()
    {
        using var job = new Job();
        var before = _db.CommittedTransactions();

        var result = job.Incps(Job.Lines(Job.Items(Items)), Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep" }, job.MarkCommand()));

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(Items, job.Executions().Count);
        // The worker's backend has ended, so its counts are in. Joining, the schema check, the heartbeat and the end of
        // the run are a few transactions more; a claim and a result trip per item would be twice the items.
        var commits = _db.SettledCommittedTransactions() - before;
        Assert.True(commits < Items * 5 / 4, $"{commits} transactions for {Items} items");
    }

    [PosixFact]
    public void Workers_on_the_same_input_claim_ahead_and_make_about_one_trip_per_item_between_them()
    {
        using var job = new Job();
        var items = 2 * Items;
        var input = Job.Lines(Job.Items(items));
        var args = Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--keep" }, job.MarkCommand());
        var before = _db.CommittedTransactions();

        using (var first = job.Start(args))
        using (var second = job.Start(args))
        {
            foreach (var worker in new[] { first, second })
            {
                worker.Input.Write(input);
                worker.Input.Close();
            }

            Assert.Equal(0, first.WaitForResult(IncpsProcess.DefaultTimeout).ExitCode);
            Assert.Equal(0, second.WaitForResult(IncpsProcess.DefaultTimeout).ExitCode);
        }

        Assert.Equal(items, job.Executions().Distinct().Count());
        // Each worker meets every item; without claims ahead, each key the other holds costs a trip to be told so.
        var commits = _db.SettledCommittedTransactions() - before;
        Assert.True(commits < items * 4 / 3, $"{commits} transactions for {items} items and 2 workers");
    }
}
