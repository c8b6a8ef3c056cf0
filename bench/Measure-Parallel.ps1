#Requires -Version 7.2
<#
.SYNOPSIS
    Items per second of Invoke-Incremental -ThrottleLimit against ForEach-Object -Parallel, on I/O-bound items, in one
    pwsh process.

.DESCRIPTION
    Each item sleeps -SleepMilliseconds (a stand-in for a call that waits on the network). For each throttle limit,
    runs `1..N | ForEach-Object -Parallel { Start-Sleep } -ThrottleLimit t` and
    `1..N | Invoke-Incremental <fresh checkpoint> -ThrottleLimit t { Start-Sleep }` one after the other, with
    N = -ItemsPerSlot × t so that every run should take about the same time, and prints items/s for both and the
    ideal (t / sleep). The block reads the sleep with $using:, so at throttle 1 both run in one runspace.

    Imports the module built by ./build.ps1 (out/IncrementalPS/<version>/), or the one given with -ModulePath.

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-Parallel.ps1

.EXAMPLE
    pwsh -NoProfile -File bench/Measure-Parallel.ps1 -ThrottleLimit 1, 4, 16, 64 -SleepMilliseconds 100
#>
[CmdletBinding()]
param(
    # The throttle limits to measure.
    [ValidateRange(1, 1024)]
    [int[]] $ThrottleLimit = @(1, 4, 16),

    # How long each item waits.
    [ValidateRange(1, 60000)]
    [int] $SleepMilliseconds = 50,

    # Items per runspace: each run has this many items per unit of throttle limit.
    [ValidateRange(1, 100000)]
    [int] $ItemsPerSlot = 40,

    # The module manifest to import; default: the newest out/IncrementalPS/*/IncrementalPS.psd1 of this repository.
    [string] $ModulePath
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
$store = Join-Path ([IO.Path]::GetTempPath()) "incps-parallel-$PID"
New-Item -ItemType Directory -Path $store | Out-Null
$previousHome = $env:INCREMENTALPS_HOME
$env:INCREMENTALPS_HOME = $store
$sleep = $SleepMilliseconds
$culture = [Globalization.CultureInfo]::InvariantCulture

try {
    # Warm-up: the first run of each pays for loading and compiling code.
    1..8 | ForEach-Object -Parallel { Start-Sleep -Milliseconds 1 } -ThrottleLimit 4
    1..8 | Invoke-Incremental parallel-warmup -ThrottleLimit 4 { Start-Sleep -Milliseconds 1 }

    Write-Host ("IncrementalPS {0}; PowerShell {1}; {2} ms per item; {3} items per unit of throttle limit; {4} logical CPUs" -f
        $module.Version, $PSVersionTable.PSVersion, $sleep, $ItemsPerSlot, [Environment]::ProcessorCount)
    Write-Host ''
    Write-Host '| throttle | items | ideal items/s | ForEach-Object -Parallel items/s | Invoke-Incremental items/s | Invoke-Incremental / ForEach-Object |'
    Write-Host '| ---: | ---: | ---: | ---: | ---: | ---: |'
    foreach ($limit in $ThrottleLimit) {
        $count = $ItemsPerSlot * $limit
        $parallel = Measure-Command { 1..$count | ForEach-Object -Parallel { Start-Sleep -Milliseconds $using:sleep } -ThrottleLimit $limit }
        $incremental = Measure-Command {
            1..$count | Invoke-Incremental "parallel-$limit" -ThrottleLimit $limit { Start-Sleep -Milliseconds $using:sleep }
        }
        $ideal = $limit * 1000.0 / $sleep
        $parallelRate = $count / $parallel.TotalSeconds
        $incrementalRate = $count / $incremental.TotalSeconds
        Write-Host ([string]::Format($culture, '| {0} | {1} | {2:F0} | {3:F1} | {4:F1} | {5:F2} |',
                $limit, $count, $ideal, $parallelRate, $incrementalRate, $incrementalRate / $parallelRate))
    }
}
finally {
    $env:INCREMENTALPS_HOME = $previousHome
    Remove-Item -Recurse -Force -Path $store -ErrorAction Ignore
}
