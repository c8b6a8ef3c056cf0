<#
.SYNOPSIS
    Registers a Windows scheduled task that runs Sync-Inbox.ps1 as SYSTEM every night and at startup, so that a run
    interrupted by a reboot resumes as soon as the machine is back.

.DESCRIPTION
    What this assumes, and why:
    - IncrementalPS is installed for all users (Install-PSResource IncrementalPS -Scope AllUsers, or Install-Module
      -Scope AllUsers): SYSTEM has no user profile of yours and loads modules only from the AllUsers paths.
    - PowerShell is called by its full path (the one running this script, unless -PowerShell says otherwise): SYSTEM's
      PATH need not hold pwsh.exe. Register from a 64-bit PowerShell: a 32-bit one would run the task 32-bit, which
      sees another profile (SysWOW64\config\systemprofile) and so another default checkpoint store.
    - The script, its state folder beside it (checkpoint and progress file) and the inbox and archive are reachable by
      SYSTEM (local disks; SYSTEM reaches a share only as the computer account).
    - Task Scheduler's restart-on-failure does not help here: it restarts a task that failed to start, not a script
      that ran and exited 1, so it is not used. Retries come from -MaxAttempts inside the script and from the next run
      (nightly or at startup), which resumes and skips what is done.
#>
#Requires -RunAsAdministrator
param(
    [string] $TaskName = 'IncrementalPS Sync-Inbox',
    [string] $Script = (Join-Path (Split-Path $PSScriptRoot) 'Sync-Inbox.ps1'),
    [string] $Inbox = 'D:\inbox',
    [string] $Archive = 'E:\archive',
    # pwsh.exe of PowerShell 7, or powershell.exe of Windows PowerShell 5.1: whichever runs this script, by full path.
    # From $PSHOME, not the current process: that may be the ISE, or a Store install's versioned path.
    [string] $PowerShell = (Join-Path $PSHOME $(if ($PSVersionTable.PSEdition -eq 'Core') { 'pwsh.exe' } else { 'powershell.exe' }))
)

$ErrorActionPreference = 'Stop'
if ($PowerShell -like '*\WindowsApps\*') {
    throw "'$PowerShell' is a Microsoft Store install, whose path changes with every update: install PowerShell with the MSI (or give -PowerShell)."
}

# One argument for the task's command line, quoted. Trailing backslashes are doubled: "E:\" would end in \", which
# PowerShell's command-line parser reads as a quote character, not the end of the argument.
function ConvertTo-TaskArgument([string] $Value) { '"' + ($Value -replace '(\\+)$', '$1$1') + '"' }

if ([Environment]::Is64BitOperatingSystem -and -not [Environment]::Is64BitProcess) {
    throw 'Run this from a 64-bit PowerShell: the task would otherwise run 32-bit, with another profile and checkpoint store.'
}

$allUsers = Get-Module -ListAvailable IncrementalPS | Where-Object { $_.Path -like "$env:ProgramFiles\*" }
if (-not $allUsers) {
    Write-Warning 'IncrementalPS is not installed for all users, so SYSTEM cannot import it. Install it with -Scope AllUsers.'
}

$action = New-ScheduledTaskAction -Execute $PowerShell `
    -Argument ("-NoProfile -NonInteractive -ExecutionPolicy Bypass -File $(ConvertTo-TaskArgument $Script) " +
        "-Inbox $(ConvertTo-TaskArgument $Inbox) -Archive $(ConvertTo-TaskArgument $Archive)")

$triggers = @(
    New-ScheduledTaskTrigger -Daily -At 02:00
    # At startup: resumes a run that a reboot interrupted (and is a quick no-op when there is nothing new).
    New-ScheduledTaskTrigger -AtStartup
)

# IgnoreNew: a start while a run is live is dropped (the lock would refuse it anyway, with CheckpointLocked).
$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew `
    -ExecutionTimeLimit (New-TimeSpan -Hours 12)

$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest

Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $triggers -Settings $settings -Principal $principal -Force
