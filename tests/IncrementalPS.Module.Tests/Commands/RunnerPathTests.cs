using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Module.Tests.Support;
using IncrementalPS.Running;
using Xunit;

namespace IncrementalPS.Module.Tests.Commands;

/// <summary>Runs each test alone: <see cref="InvokeUsingCmdletStep.Disabled"/> and <see cref="TryStatementStep.Disabled"/> are process-wide.</summary>
[CollectionDefinition(nameof(RunnerPathGroup), DisableParallelization = true)]
public sealed class RunnerPathGroup
{
}

/// <summary>
/// The script block runs through ForEach-Object's own internal call when this PowerShell has it, and through a stepped
/// ForEach-Object otherwise; the internal call runs with a try statement's flag set where PowerShell has it, and inside a
/// try statement otherwise: every path must give the same output, errors, $Error, -ErrorVariable and variables.
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
        // -ErrorAction Stop turns a non-terminating error into the item's failure.
        "'a' | Invoke-Incremental -Path $dir/c.jsonl { Write-Error 'hard' -ErrorAction Stop; 'not here' } -WarningAction SilentlyContinue",
        // A downstream command runs while the block writes: its 1/0 behaves as it does with the try statement.
        "'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { $_ } -WarningAction SilentlyContinue | ForEach-Object { 1/0; \"down $_\" }",
        // An upstream command runs between items: its 1/0 only ends its statement, as without Invoke-Incremental.
        "& { 'a'; 1/0; 'b' } | Invoke-Incremental -Path $dir/c.jsonl { \"ran $_\" }",
        // After a failed item, the upstream command runs as before: its 1/0 only ends its statement.
        "& { 'a'; 1/0; 'b' } | Invoke-Incremental -Path $dir/c.jsonl { if ($_ -eq 'a') { throw 'x' }; \"ran $_\" } -WarningAction SilentlyContinue",
        // A nested run whose item fails leaves the outer item running.
        "'a' | Invoke-Incremental -Path $dir/o.jsonl { 'x' | Invoke-Incremental -Path $dir/i.jsonl { throw 'inner' } -WarningAction SilentlyContinue; 1/0; \"outer after $_\" } -WarningAction SilentlyContinue",
        // A try and a trap inside the block still see their own errors.
        "'a' | Invoke-Incremental -Path $dir/c.jsonl { try { 1/0 } catch { \"caught $($_.Exception.GetType().Name)\" }; trap { 'trapped'; continue }; throw 'x'; 'after' }",
    };

    /// <summary>
    /// Where the internal call and the stepped ForEach-Object differ, the call without a try statement matches the call
    /// inside one. A .NET method's error: the ItemFailed record's inner exception is the method's own exception
    /// (FormatException) after the internal call, the MethodInvocationException around it after the stepped one.
    /// </summary>
    public static TheoryData<string> InternalCallScripts => new()
    {
        "$Error.Clear(); 'a', 'b' | Invoke-Incremental -Path $dir/c.jsonl { if ($_ -eq 'a') { [int]::Parse('x') }; \"ok $_\" } -WarningAction SilentlyContinue; $Error.Count",
        "$Error.Clear(); 'a' | Invoke-Incremental -Path $dir/c.jsonl { [IO.File]::ReadAllText(\"$dir/missing\") } -ErrorVariable ev -WarningAction SilentlyContinue; $ev.Count; $Error.Count",
    };

    [Fact]
    public void This_PowerShell_runs_the_script_block_through_ForEach_Objects_own_call()
    {
        using var host = new ModuleRunspace();
        host.Run("'a' | Invoke-Incremental -Path $dir/c.jsonl { }", out _).Dispose();
        Assert.True(InvokeUsingCmdletStep.IsAvailable);
    }

    [Fact]
    public void This_PowerShell_runs_the_script_block_without_a_try_statement_around_it()
    {
        using var host = new ModuleRunspace();
        host.Run("'a' | Invoke-Incremental -Path $dir/c.jsonl { }", out _).Dispose();
        Assert.True(TryStatementStep.IsAvailable);
    }

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Every_path_gives_the_same_output_errors_and_variables(string script)
    {
        var flagged = Transcript(script, withoutTry: true, direct: true);
        var direct = Transcript(script, withoutTry: false, direct: true);
        var fallback = Transcript(script, withoutTry: false, direct: false);
        Assert.Equal(string.Join("\n", fallback), string.Join("\n", direct));
        Assert.Equal(string.Join("\n", fallback), string.Join("\n", flagged));
        Assert.NotEmpty(direct);
    }

    [Fact]
    public void MyInvocation_in_the_script_block_is_the_callers_as_in_ForEach_Object()
    {
        // Inside a try statement the block saw the try's own $MyInvocation (no command); without it, the caller's.
        using var host = new ModuleRunspace();
        using var shell = host.Run(
            "function f { 'a' | ForEach-Object { $MyInvocation.MyCommand.Name }; 'a' | Invoke-Incremental -Path $dir/c.jsonl { $MyInvocation.MyCommand.Name } }; f",
            out var output);
        Assert.Equal(new object?[] { "f", "f" }, output);
    }

    [Theory]
    [MemberData(nameof(InternalCallScripts))]
    public void The_internal_call_gives_the_same_output_errors_and_variables_with_and_without_a_try_statement(string script)
    {
        var flagged = Transcript(script, withoutTry: true, direct: true);
        var direct = Transcript(script, withoutTry: false, direct: true);
        Assert.Equal(string.Join("\n", direct), string.Join("\n", flagged));
        Assert.NotEmpty(direct);
    }

    private static List<string> Transcript(string script, bool withoutTry, bool direct)
    {
        TryStatementStep.Disabled = !withoutTry;
        InvokeUsingCmdletStep.Disabled = !direct;
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
            TryStatementStep.Disabled = false;
            InvokeUsingCmdletStep.Disabled = false;
        }
    }
}
