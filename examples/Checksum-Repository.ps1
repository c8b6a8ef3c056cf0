<#
.SYNOPSIS
    The main job: builds the module from this clone and checksums every file of the repository with a resumable
    pipeline, in the PowerShell you run it with.

.DESCRIPTION
    From the root of a clone, on a machine with only the .NET SDK:

        dotnet tool restore && dotnet pwsh -NoProfile -File examples/Checksum-Repository.ps1

    Every file is hashed once under the checkpoint 'repo-checksums' (kept with -Keep as a ledger), its hash written as
    it completes. Run the same command again: nothing is hashed twice. To see a resume, make each item slow, press
    Ctrl+C half way, and run it again: it carries on where it stopped.

        dotnet pwsh -NoProfile -File examples/Checksum-Repository.ps1 -DelayMilliseconds 200

    The checkpoint lives in a store of its own under out/ (not your personal store); -Reset removes it.

.PARAMETER DelayMilliseconds
    Sleep this long in each item, so that there is time to press Ctrl+C.

.PARAMETER Reset
    Remove the checkpoint first and start over.
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 60000)]
    [int] $DelayMilliseconds = 0,

    [switch] $Reset
)

$ErrorActionPreference = 'Stop'
$root = Split-Path -Parent $PSScriptRoot

# Build the module from source and import the build, not whatever IncrementalPS the machine may have installed.
& (Join-Path $root 'build.ps1') -Task Build 6>$null | Out-Null
$manifest = Get-ChildItem (Join-Path $root 'out/IncrementalPS/*/IncrementalPS.psd1') |
    Sort-Object { [version]$_.Directory.Name } -Descending | Select-Object -First 1
Import-Module $manifest.FullName -Force

$env:INCREMENTALPS_HOME = Join-Path $root 'out/demo-store'
if ($Reset) {
    Reset-Checkpoint repo-checksums -Force -ErrorAction Ignore
}

# The repository's own files; build output and git's database are not part of the job.
$skip = [regex] '[\\/](\.git|bin|obj|out|TestResults)([\\/]|$)'
$files = @(Get-ChildItem -LiteralPath $root -Recurse -File -Force | Where-Object { -not $skip.IsMatch($_.FullName.Substring($root.Length)) })

$files |
    Invoke-Incremental repo-checksums -Keep -TotalCount $files.Count {
        if ($DelayMilliseconds) { Start-Sleep -Milliseconds $DelayMilliseconds }
        $hash = Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256
        '{0}  {1}' -f $hash.Hash.ToLowerInvariant(), [IO.Path]::GetRelativePath($root, $_.FullName)
    }

Get-CheckpointStatus repo-checksums | Format-List
