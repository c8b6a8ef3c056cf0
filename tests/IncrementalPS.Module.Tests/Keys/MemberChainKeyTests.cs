using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Keys;
using IncrementalPS.Module.Tests.Support;
using Xunit;

namespace IncrementalPS.Module.Tests.Keys;

/// <summary>Runs each test alone: <see cref="MemberChainKey.Disabled"/> is process-wide.</summary>
[CollectionDefinition(nameof(MemberChainKeyGroup), DisableParallelization = true)]
public sealed class MemberChainKeyGroup
{
}

/// <summary>
/// A -Key script block that only reads a property chain of $_ is evaluated without running it: the keys, output,
/// errors and variables must be exactly those of running it.
/// </summary>
[Collection(nameof(MemberChainKeyGroup))]
public sealed class MemberChainKeyTests
{
    private const string Objects =
        "$thrower = [pscustomobject]@{ Id = 'x' } | Add-Member -MemberType ScriptProperty -Name Name -Value { throw 'getter failed' } -PassThru; " +
        "$items = @('plain', [pscustomobject]@{ Name = 'n1' }, [pscustomobject]@{ Name = $null }, [pscustomobject]@{ Name = '' }, " +
        "[pscustomobject]@{ Other = 1 }, @{ Name = 'from a hashtable' }, [pscustomobject]@{ Name = 42 }, [pscustomobject]@{ Name = (1, 2) }, " +
        "[pscustomobject]@{ Name = [pscustomobject]@{ Inner = 1 } }, (Get-Item -LiteralPath $dir), $thrower, " +
        "[pscustomobject]@{ Name = [pscustomobject]@{ A = [pscustomobject]@{ B = 'deep' } } }, [Guid]::Empty, 7, (Get-Date 2020-01-02)); ";

    public static TheoryData<string> Scripts => new()
    {
        Objects + "$items | Invoke-Incremental -Path $dir/c.jsonl -Key { $_ } { \"ran $_\" } -Keep",
        Objects + "$items | Invoke-Incremental -Path $dir/c.jsonl -Key { $_.Name } { \"ran $_\" } -Keep",
        Objects + "$items | Invoke-Incremental -Path $dir/c.jsonl -Key { $PSItem.Name.A.B } { \"ran $_\" } -Keep",
        Objects + "$items | Invoke-Incremental -Path $dir/c.jsonl -Key { $_.Length } { \"ran $_\" } -Keep",
        Objects + "$items | Invoke-Incremental -Path $dir/c.jsonl -Key { $_.ToString } { \"ran $_\" } -Keep",
        Objects + "Set-StrictMode -Version Latest; $items | Invoke-Incremental -Path $dir/c.jsonl -Key { $_.Name } { \"ran $_\" } -Keep",
        // A collection as the item: its members are its elements' (member enumeration).
        "$Error.Clear(); ,@([pscustomobject]@{ Name = 'a' }, [pscustomobject]@{ Name = 'b' }) | Invoke-Incremental -Path $dir/c.jsonl -Key { $_.Name } { 'ran' } -Keep; $Error.Count",
        "$Error.Clear(); ,@([pscustomobject]@{ Name = 'a' }) | Invoke-Incremental -Path $dir/c.jsonl -Key { $_.Name } { 'ran' } -Keep; $Error.Count",
        // The key block cannot change the caller's $_ or variables.
        "'outer' | ForEach-Object { 'a' | Invoke-Incremental -Path $dir/c.jsonl -Key { $_ } { \"ran $_\" }; \"after: $_\" }",
    };

    [Theory]
    [InlineData("{ $_ }", "")]
    [InlineData("{ $_.Name }", "Name")]
    [InlineData("{ $PSItem.A.B }", "A.B")]
    [InlineData("{ $psitem.a }", "a")]
    [InlineData("{  $_.'Full Name'  }", "Full Name")]
    public void Property_chains_of_the_item_are_read_without_running_the_block(string text, string chain)
    {
        var key = MemberChainKey.TryParse(Literal(text));
        Assert.NotNull(key);
        Assert.Equal(chain, string.Join(".", key.Members));
    }

    [Theory]
    [InlineData("{ $_.Name.ToUpper() }")]
    [InlineData("{ $x }")]
    [InlineData("{ $global:_ }")]
    [InlineData("{ $_; 1 }")]
    [InlineData("{ $_ | Out-String }")]
    [InlineData("{ $_ > $null }")]
    [InlineData("{ param($a) $_ }")]
    [InlineData("{ process { $_ } }")]
    [InlineData("{ $_.($name) }")]
    [InlineData("{ $_?.Name }")]
    [InlineData("{ [string]::Empty }")]
    [InlineData("{ $_::Name }")]
    [InlineData("{ $_ & }")]
    [InlineData("{ trap { 'x' } $_ }")]
    [InlineData("{ \"$_\" }")]
    public void Anything_more_runs_the_block(string text)
        => Assert.Null(MemberChainKey.TryParse(Literal(text)));

    [Theory]
    [MemberData(nameof(Scripts))]
    public void Reading_the_chain_gives_the_same_keys_output_and_errors_as_running_the_block(string script)
    {
        var read = Transcript(script, disabled: false);
        var ran = Transcript(script, disabled: true);
        Assert.Equal(string.Join("\n", ran), string.Join("\n", read));
        Assert.NotEmpty(read);
    }

    /// <summary>The script block that the literal <paramref name="text"/> makes, as -Key { ... } receives it.</summary>
    private static ScriptBlock Literal(string text)
    {
        using var shell = PowerShell.Create();
        return (ScriptBlock)shell.AddScript(text).Invoke()[0].BaseObject;
    }

    private static List<string> Transcript(string script, bool disabled)
    {
        MemberChainKey.Disabled = disabled;
        try
        {
            using var host = new ModuleRunspace();
            using var shell = host.Run(script, out var output);
            var lines = output.Select(o => "out: " + o).ToList();
            lines.AddRange(shell.Streams.Error.Select(e =>
                $"error: {e.FullyQualifiedErrorId} | {e} | {e.Exception.InnerException?.GetType().Name}: {e.Exception.InnerException?.Message}"));
            lines.AddRange(shell.Streams.Warning.Select(w => "warning: " + w));
            if (System.IO.File.Exists(host.PathOf("c.jsonl")))
            {
                using var keys = host.Run("Get-CheckpointItem -Path $dir/c.jsonl | ForEach-Object { \"$($_.State) $($_.Key)\" }", out var recorded);
                lines.AddRange(recorded.Select(k => "key: " + k));
            }

            // Each runspace has a folder of its own: its name is not a difference between the paths.
            return lines.Select(line => line
                .Replace(host.Directory, "$dir", StringComparison.Ordinal)
                .Replace(System.IO.Path.GetFileName(host.Directory), "$leaf", StringComparison.Ordinal)).ToList();
        }
        finally
        {
            MemberChainKey.Disabled = false;
        }
    }
}
