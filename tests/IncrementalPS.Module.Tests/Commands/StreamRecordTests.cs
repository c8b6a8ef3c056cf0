using System.Linq;
using System.Management.Automation;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>The records Invoke-Incremental writes to the verbose and progress streams.</summary>
public sealed class StreamRecordTests
{
    [Fact]
    public void Skipped_items_are_summed_up_in_one_verbose_record()
    {
        using var host = new ModuleRunspace();
        host.Run("1..30 | Invoke-Incremental -Path $dir/c.jsonl -Keep { }", out _).Dispose();

        using var shell = host.Run("1..31 | Invoke-Incremental -Path $dir/c.jsonl -Keep { } -Verbose", out _);

        var skips = shell.Streams.Verbose.Where(v => v.Message.StartsWith("Skipped", System.StringComparison.Ordinal)).ToList();
        var skip = Assert.Single(skips);
        Assert.StartsWith("Skipped 30 item(s) completed in earlier runs, 0 that failed", skip.Message, System.StringComparison.Ordinal);
    }

    [Fact]
    public void Progress_names_the_checkpoint_and_ends_with_a_Completed_record()
    {
        using var host = new ModuleRunspace();
        using var shell = host.Run("1..6 | Invoke-Incremental -Path $dir/slow.jsonl { Start-Sleep -Milliseconds 100 }", out _);

        var records = shell.Streams.Progress.Where(p => p.Activity == "Invoke-Incremental: slow").ToList();
        Assert.NotEmpty(records);
        Assert.Equal(ProgressRecordType.Completed, records[^1].RecordType);
        Assert.All(records.Take(records.Count - 1), r => Assert.Equal(ProgressRecordType.Processing, r.RecordType));
    }
}
