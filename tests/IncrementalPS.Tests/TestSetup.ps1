# Dot-sourced by every test file: imports the BUILT module (build.ps1 -Task Build lays it out in out/) and gives
# each test its own checkpoint store under $TestDrive.
$manifest = $env:INCREMENTALPS_TEST_MANIFEST
if (-not $manifest) {
    $manifest = Get-ChildItem (Join-Path $PSScriptRoot '../../out/IncrementalPS/*/IncrementalPS.psd1') -ErrorAction Ignore |
        Sort-Object { [version]$_.Directory.Name } -Descending | Select-Object -First 1 -ExpandProperty FullName
}
if (-not $manifest -or -not (Test-Path $manifest)) {
    throw 'The built module is missing: run ./build.ps1 -Task Build first (or ./build.ps1 -Task Test).'
}
$script:ManifestPath = $manifest
Import-Module $manifest -Force

function New-TestStore {
    # A fresh store per test, so that tests never see each other's checkpoints.
    $env:INCREMENTALPS_HOME = Join-Path $TestDrive ([guid]::NewGuid().ToString('N'))
    $env:INCREMENTALPS_HOME
}

function Get-CheckpointFile([string] $Name) {
    Join-Path $env:INCREMENTALPS_HOME "$Name.checkpoint.jsonl"
}

function Start-LiveRun {
    # A run held open in another runspace of this process, so that tests can watch or collide with a live run.
    param([string] $Name, [int] $Count = 200, [int] $DelayMs = 50)
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Manifest, $StoreDir, $Name, $Count, $DelayMs)
            $env:INCREMENTALPS_HOME = $StoreDir
            Import-Module $Manifest
            1..$Count | Invoke-Incremental $Name -Key { $_ } { Start-Sleep -Milliseconds $DelayMs }
        }).AddArgument($script:ManifestPath).AddArgument($env:INCREMENTALPS_HOME).AddArgument($Name).AddArgument($Count).AddArgument($DelayMs)
    $handle = $ps.BeginInvoke()
    $deadline = [datetime]::UtcNow.AddSeconds(30)
    while ([datetime]::UtcNow -lt $deadline) {
        $status = Get-CheckpointStatus $Name -ErrorAction Ignore
        if ($status -and $status.State -eq 'Running' -and $status.Completed -ge 1) { break }
        Start-Sleep -Milliseconds 50
    }
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle }
}

function Stop-LiveRun($Run) {
    $Run.PowerShell.Stop()
    $Run.PowerShell.Dispose()
}
