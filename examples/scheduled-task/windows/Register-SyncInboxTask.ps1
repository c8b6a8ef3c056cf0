<#
.SYNOPSIS
    Registers a Windows scheduled task that runs Sync-Inbox.ps1 every night and at startup, so that a run interrupted
    by a reboot resumes as soon as the machine is back.
#>
#Requires -RunAsAdministrator
param(
    [string] $TaskName = 'IncrementalPS Sync-Inbox',
    [string] $Script = (Join-Path (Split-Path $PSScriptRoot) 'Sync-Inbox.ps1'),
    [string] $Inbox = 'D:\inbox',
    [string] $Archive = 'E:\archive'
)

# pwsh.exe for PowerShell 7; use powershell.exe for Windows PowerShell 5.1.
$action = New-ScheduledTaskAction -Execute 'pwsh.exe' `
    -Argument "-NoProfile -NonInteractive -ExecutionPolicy Bypass -File `"$Script`" -Inbox `"$Inbox`" -Archive `"$Archive`""

$triggers = @(
    New-ScheduledTaskTrigger -Daily -At 02:00
    # At startup: resumes a run that a reboot interrupted (and is a quick no-op when there is nothing new).
    New-ScheduledTaskTrigger -AtStartup
)

$settings = New-ScheduledTaskSettingsSet -StartWhenAvailable -MultipleInstances IgnoreNew `
    -ExecutionTimeLimit (New-TimeSpan -Hours 12) -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 5)

$principal = New-ScheduledTaskPrincipal -UserId 'SYSTEM' -LogonType ServiceAccount -RunLevel Highest

Register-ScheduledTask -TaskName $TaskName -Action $action -Trigger $triggers -Settings $settings -Principal $principal -Force
