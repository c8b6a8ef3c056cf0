using System;
using System.Linq;
using IncrementalPS.Core;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>Invoke-Incremental -BatchSize, alone and with -ThrottleLimit.</summary>
public sealed class BatchTests
{
    [Theory]
    [InlineData("")]
    [InlineData("-ThrottleLimit 3")]
    public void A_failing_batch_in_the_middle_fails_its_items_only_and_a_resume_rebuilds_batches_from_what_is_left(string parallel)
    {
        using var host = new ModuleRunspace();
        var location = CheckpointLocation.FromPath(host.PathOf("c.jsonl"));
        using (var first = host.Run(
            $"1..10 | Invoke-Incremental -Path $dir/c.jsonl -BatchSize 4 -Keep {parallel} {{ if ($_ -contains 6) {{ throw 'row 6 refused' }}; $_ -join ',' }}",
            out var output))
        {
            Assert.Equal(["1,2,3,4", "9,10"], output.Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
            Assert.Equal(4, first.Streams.Error.Count);
            Assert.All(first.Streams.Error, e => Assert.StartsWith("ItemFailed,", e.FullyQualifiedErrorId, StringComparison.Ordinal));
        }

        var items = CheckpointInspector.ReadItems(location);
        Assert.Equal(["5", "6", "7", "8"], items.Where(i => i.State == ItemState.Failed).Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(items.Where(i => i.State == ItemState.Failed), i => Assert.Equal("row 6 refused", i.Error!.Message));

        // 9 and 10 are done, 1..4 too: the retried 5..8 and the new 11, 12 make the batches.
        using var second = host.Run(
            $"1..12 | Invoke-Incremental -Path $dir/c.jsonl -BatchSize 4 -Keep -RetryFailed {parallel} {{ $_ -join ',' }}",
            out var resumed);

        Assert.Empty(second.Streams.Error);
        Assert.Equal(["11,12", "5,6,7,8"], resumed.Cast<string>().OrderBy(s => s, StringComparer.Ordinal));
        Assert.All(CheckpointInspector.ReadItems(location), i => Assert.Equal(ItemState.Completed, i.State));
    }

    [Fact]
    public void A_single_item_batch_is_still_an_array()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run("'only' | Invoke-Incremental -Path $dir/c.jsonl -BatchSize 5 { $_.GetType().Name; $_.Count }", out var output);

        Assert.Equal(["Object[]", 1], output);
    }

    [Fact]
    public void ReplayOutput_with_BatchSize_is_refused_before_the_checkpoint_is_touched()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run("1..3 | Invoke-Incremental -Path $dir/c.jsonl -BatchSize 2 -ReplayOutput { $_ }", out _);

        var error = Assert.Single(shell.Streams.Error);
        Assert.StartsWith("ConflictingParameters,", error.FullyQualifiedErrorId, StringComparison.Ordinal);
        Assert.False(CheckpointLocation.FromPath(host.PathOf("c.jsonl")).Exists);
    }
}
