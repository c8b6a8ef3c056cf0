<#
.SYNOPSIS
    Patches a list of servers, resumably: run it again after anything stops it and it carries on.

.DESCRIPTION
    An ops script built on Invoke-Incremental. The checkpoint lives beside the script, so whoever runs it next (or a
    scheduled task) resumes the same job. Each server is tried up to three times with backoff; servers that still fail
    are listed at the end and can be retried with -RetryFailed.

.EXAMPLE
    ./ops-script.ps1 -ServerList servers.txt
    ./ops-script.ps1 -ServerList servers.txt -RetryFailed
    ./ops-script.ps1 -ServerList servers.txt -StartOver
#>
[CmdletBinding(SupportsShouldProcess)]
param(
    [Parameter(Mandatory)]
    [string] $ServerList,

    # Try the servers that failed in earlier runs again.
    [switch] $RetryFailed,

    # Forget earlier runs and patch every server again.
    [switch] $StartOver
)

$ErrorActionPreference = 'Stop'
Import-Module IncrementalPS

$checkpoint = Join-Path $PSScriptRoot 'patch.checkpoint'
$progress = Join-Path $PSScriptRoot 'patch.progress.txt'
$servers = Get-Content $ServerList | Where-Object { $_ -and -not $_.StartsWith('#') }

function Update-Server([string] $Name) {
    # Replace with the real work. Throwing marks the server as failed (after the retries).
    Invoke-Command -ComputerName $Name -ScriptBlock { Install-WindowsUpdate -AcceptAll -IgnoreReboot } -ErrorAction Stop
    [pscustomobject]@{ Server = $Name; PatchedAt = Get-Date }
}

$results = $servers | Invoke-Incremental -Path $checkpoint -Keep -Restart:$StartOver -RetryFailed:$RetryFailed `
    -MaxAttempts 3 -RetryDelay 30 -TotalCount $servers.Count -ProgressFile $progress -ReplayOutput `
    -ErrorAction Continue {
        Update-Server $_
    }

$results | Export-Csv (Join-Path $PSScriptRoot 'patched.csv') -NoTypeInformation

$failed = @(Get-CheckpointItem -Path $checkpoint -State Failed)
if ($failed.Count -gt 0) {
    $failed | Format-Table Key, Attempts, @{ n = 'Error'; e = { $_.Error.Message } } | Out-String | Write-Warning
    exit 1
}
