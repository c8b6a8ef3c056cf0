#Requires -Version 7.2
<#
.SYNOPSIS
    Measures what Invoke-Incremental adds to a pipeline, against ForEach-Object, in one pwsh process.

.DESCRIPTION
    Runs `1..$Count | ForEach-Object {}` and `1..$Count | Invoke-Incremental <name> -Key { $_ } {}` (each item
    recorded in a fresh checkpoint in a temporary store) one after the other in this process, after a warm-up of both,
    and prints both times and their ratio. Both script blocks are empty, so the difference is the module's cost per
    item: binding, the key (integers need -Key; the key script block is part of the cost), the engine's record, and
    progress.

    Imports the module built by ./build.ps1 (out/IncrementalPS/<version>/), or the one given with -ModulePath.

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-ModuleOverhead.ps1

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-ModuleOverhead.ps1 -Count 20000 -Durability Full
#>
[CmdletBinding()]
param(
    # Items per pipeline.
    [ValidateRange(1, [int]::MaxValue)]
    [int] $Count = 100000,

    # The module manifest to import; default: the newest out/IncrementalPS/*/IncrementalPS.psd1 of this repository.
    [string] $ModulePath,

    # Passed to Invoke-Incremental -Durability.
    [ValidateSet('Normal', 'Full')]
    [string] $Durability = 'Normal'
)

$ErrorActionPreference = 'Stop'
$repository = Split-Path -Parent $PSScriptRoot

if (-not $ModulePath) {
    $manifest = Get-ChildItem -Path (Join-Path $repository 'out/IncrementalPS') -Filter 'IncrementalPS.psd1' -Recurse -ErrorAction Ignore |
        Sort-Object { [version](Split-Path -Leaf $_.DirectoryName) } -Descending |
        Select-Object -First 1
    if (-not $manifest) {
        Write-Host "The module is not built: there is no out/IncrementalPS/<version>/IncrementalPS.psd1 under $repository."
        Write-Host 'Build it first with: pwsh ./build.ps1 -Task Build   (or give the manifest with -ModulePath)'
        exit 1
    }

    $ModulePath = $manifest.FullName
}

Import-Module $ModulePath -Force
$module = Get-Module IncrementalPS
$store = Join-Path ([IO.Path]::GetTempPath()) "incps-overhead-$PID"
New-Item -ItemType Directory -Path $store | Out-Null
$previousHome = $env:INCREMENTALPS_HOME
$env:INCREMENTALPS_HOME = $store

try {
    # Warm-up: the first run of each pipeline pays for loading and compiling code.
    1..2000 | ForEach-Object {}
    1..2000 | Invoke-Incremental overhead-warmup -Key { $_ } {} -Durability $Durability

    $baseline = Measure-Command { 1..$Count | ForEach-Object {} }
    $incremental = Measure-Command { 1..$Count | Invoke-Incremental overhead -Key { $_ } {} -Durability $Durability }
}
finally {
    $env:INCREMENTALPS_HOME = $previousHome
    Remove-Item -Recurse -Force -Path $store -ErrorAction Ignore
}

$culture = [Globalization.CultureInfo]::InvariantCulture
$baselineUs = $baseline.TotalMilliseconds * 1000 / $Count
$incrementalUs = $incremental.TotalMilliseconds * 1000 / $Count
Write-Host ("IncrementalPS {0} from {1}; PowerShell {2}; {3:N0} items; durability {4}" -f $module.Version, $ModulePath, $PSVersionTable.PSVersion, $Count, $Durability)
Write-Host ([string]::Format($culture, '{0,-48} {1,8:F2} s ({2,6:F2} us/item)', "1..$Count | ForEach-Object {}", $baseline.TotalSeconds, $baselineUs))
Write-Host ([string]::Format($culture, '{0,-48} {1,8:F2} s ({2,6:F2} us/item)', "1..$Count | Invoke-Incremental -Key { `$_ } {}", $incremental.TotalSeconds, $incrementalUs))
Write-Host ([string]::Format($culture, 'Invoke-Incremental/ForEach-Object: {0:F2}x ({1:F2} us/item added)', $incremental.TotalSeconds / $baseline.TotalSeconds, $incrementalUs - $baselineUs))
