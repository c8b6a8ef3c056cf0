using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Module.Tests.Support;
using IncrementalPS.Running;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>Runs each test alone: <see cref="InvokeUsingCmdletStep.Disabled"/> is process-wide.</summary>
[CollectionDefinition(nameof(RunnerPathGroup), DisableParallelization = true)]
public sealed class RunnerPathGroup
{
}

/// <summary>
/// The script block runs through ForEach-Object's own internal call when this PowerShell has it, and through a stepped
/// ForEach-Object otherwise: both paths must give the same output, errors, $Error, -ErrorVariable and variables.
/// </summary>
[Collection(nameof(RunnerPathGroup))]
public sealed class RunnerPathTests
{
    public static TheoryData<string> Scripts => new()
    {
        // The caller's scope, $_ and $PSItem, and the caller's own $_ afterwards.
        "$count = 0; 'outer' | ForEach-Object { 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { $count++; \"$_/$PSItem\" }; \"after: $_\" }; \"count $count\"",
        // Output streams down the pipeline as it is produced.
        "$log = [Collections.Generic.List[string]]::new(); 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { $log.Add(\"run $_\"); $_ } | ForEach-Object { $log.Add(\"down $_\") }; $log",
        // A statement-terminating error fails the item; what came before it was output.
        "'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { 'before'; if ($_ -eq 'a') { 1/0 }; 'after' } -WarningAction SilentlyContinue",
        // A throw, with -ErrorVariable and $Error.
        "$Error.Clear(); 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { if ($_ -eq 'a') { throw 'boom' }; \"ok $_\" } -ErrorVariable ev -WarningAction SilentlyContinue; $ev.Count; $Error.Count",
        // Non-terminating errors pass through and the item completes.
        "$Error.Clear(); 'a' | Invoke-Incremental -Path $dir/c.jsonl { Write-Error 'soft'; 'done' } -ErrorVariable ev; $ev.Count",
        // A cmdlet's terminating error.
        "'a' | Invoke-Incremental -Path $dir/c.jsonl { Get-Item -LiteralPath $dir/missing -ErrorAction Stop } -WarningAction SilentlyContinue",
        // break leaves the run; the item stays unfinished.
        "foreach ($i in 1) { 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { if ($_ -eq 'b') { break }; $_ } }; 'after the loop'",
        // -InputObject without pipeline input.
        "Invoke-Incremental -Path $dir/c.jsonl { \"got $_\" } -InputObject 'only'",
    };

    [Fact]
    public void This_PowerShell_runs_the_script_block_through_ForEach_Objects_own_call()
    {
        using var host = new ModuleRunspace();
        host.Run("'a' | Invoke-Incremental -Path $dir/c.jsonl { }", out _).Dispose();
        Assert.True(InvokeUsingCmdletStep.IsAvailable);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Both_paths_give_the_same_output_errors_and_variables(string script)
    {
        var direct = Transcript(script, disabled: false);
        var fallback = Transcript(script, disabled: true);
        Assert.Equal(direct, fallback);
        Assert.NotEmpty(direct);
    }

    private static List<string> Transcript(string script, bool disabled)
    {
        InvokeUsingCmdletStep.Disabled = disabled;
        try
        {
            using var host = new ModuleRunspace();
            using var shell = host.Run(script, out var output);
            var lines = output.Select(o => "out: " + o).ToList();
            lines.AddRange(shell.Streams.Error.Select(e =>
                $"error: {e.FullyQualifiedErrorId} | {e} | {e.Exception.InnerException?.GetType().Name}: {e.Exception.InnerException?.Message}"));
            // Each runspace has a folder of its own: its name is not a difference between the paths.
            return lines.Select(line => line.Replace(host.Directory, "$dir", StringComparison.Ordinal)).ToList();
        }
        finally
        {
            InvokeUsingCmdletStep.Disabled = false;
        }
    }
}
