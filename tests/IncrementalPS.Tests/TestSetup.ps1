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

function New-ModulePowerShell([scriptblock] $Script) {
    # Another runspace of this process with the module imported and the same store: for runs to watch, stop or
    # collide with, and for the streams (progress) a runspace keeps.
    $ps = [powershell]::Create()
    $null = $ps.AddScript({
            param($Manifest, $StoreDir, $Text)
            $env:INCREMENTALPS_HOME = $StoreDir
            Import-Module $Manifest
            . ([scriptblock]::Create($Text))
        }).AddArgument($script:ManifestPath).AddArgument($env:INCREMENTALPS_HOME).AddArgument($Script.ToString())
    $ps
}

function Wait-Checkpoint([string] $Name, [scriptblock] $Until) {
    $deadline = [datetime]::UtcNow.AddSeconds(30)
    while ([datetime]::UtcNow -lt $deadline) {
        $status = Get-CheckpointStatus $Name -ErrorAction Ignore
        if ($status -and (& $Until $status)) { return }
        Start-Sleep -Milliseconds 50
    }
    throw "Checkpoint '$Name' did not reach the expected state in 30 s."
}

function Start-LiveRun([string] $Name) {
    # A run held open in another runspace, so that tests can watch or collide with a live run.
    $ps = New-ModulePowerShell ([scriptblock]::Create("1..200 | Invoke-Incremental $Name -Key { `$_ } { Start-Sleep -Milliseconds 50 }"))
    $handle = $ps.BeginInvoke()
    Wait-Checkpoint $Name { param($s) $s.State -eq 'Running' -and $s.Completed -ge 1 }
    [pscustomobject]@{ PowerShell = $ps; Handle = $handle }
}

function Stop-LiveRun($Run) {
    $Run.PowerShell.Stop()
    $Run.PowerShell.Dispose()
}

function Get-ChildPowerShell {
    # As a .NET tool pwsh runs as "dotnet pwsh.dll": the executable in $PSHOME works for every kind of install.
    Join-Path $PSHOME ($IsWindows ? 'pwsh.exe' : 'pwsh')
}

function New-ModuleScript([string] $Store, [string] $Command) {
    # A script for a child pwsh: the built module, this test's store, then the command.
    $script = Join-Path $TestDrive "child-$([guid]::NewGuid()).ps1"
    Set-Content -LiteralPath $script -Value @(
        "`$env:INCREMENTALPS_HOME = '$Store'"
        "Import-Module '$($script:ManifestPath)'"
        $Command
    )
    $script
}

function Start-ModuleScript([string] $Script) {
    # Started, not waited for: the caller kills it.
    Start-Process -FilePath (Get-ChildPowerShell) -ArgumentList '-NoProfile', '-NonInteractive', '-File', $Script -PassThru `
        -RedirectStandardOutput "$Script.out" -RedirectStandardError "$Script.err"
}
