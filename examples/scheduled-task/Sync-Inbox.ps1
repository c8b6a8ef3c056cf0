<#
.SYNOPSIS
    The job both scheduled-task examples run: copies new files from an inbox, resumably.

.DESCRIPTION
    Runs on a schedule and at startup. If a reboot (or anything else) interrupts a run, the run at startup resumes
    it; otherwise it copies only the files no earlier run has copied (-Keep keeps the checkpoint as a ledger). A second
    start while a run is live stops at once with a CheckpointLocked error instead of running twice.
#>
param(
    [string] $Inbox = '/srv/inbox',
    [string] $Archive = '/srv/archive'
)

$ErrorActionPreference = 'Stop'
Import-Module IncrementalPS

$state = Join-Path $PSScriptRoot 'state'
New-Item -ItemType Directory -Force $state | Out-Null

Get-ChildItem -LiteralPath $Inbox -File |
    Invoke-Incremental -Path (Join-Path $state 'inbox.checkpoint') -Keep -Durability Full `
        -ProgressFile (Join-Path $state 'inbox.progress.txt') -MaxAttempts 3 -RetryDelay 10 -ErrorAction Continue {
            Copy-Item -LiteralPath $_.FullName -Destination $Archive -Force
        }
