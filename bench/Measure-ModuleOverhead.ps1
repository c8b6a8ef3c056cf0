#Requires -Version 7.2
<#
.SYNOPSIS
    Measures what Invoke-Incremental adds to a pipeline, against ForEach-Object.

.DESCRIPTION
    A wrapper around the C# benchmark, which hosts PowerShell in its own process (Microsoft.PowerShell.SDK) so that
    the figure is the same on every machine: `$strings | ForEach-Object {}`, `$strings | Invoke-Incremental x {}` and
    `$strings | Invoke-Incremental x -Key { $_ } {}` over the same strings, warmed up, median of 9 (in rotating turns).

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-ModuleOverhead.ps1 -Count 20000
#>
[CmdletBinding()]
param(
    # Items per pipeline.
    [ValidateRange(1, [int]::MaxValue)]
    [int] $Count = 100000
)

$ErrorActionPreference = 'Stop'
dotnet run -c Release --project (Join-Path $PSScriptRoot 'IncrementalPS.Bench') -- --module-overhead $Count
exit $LASTEXITCODE
