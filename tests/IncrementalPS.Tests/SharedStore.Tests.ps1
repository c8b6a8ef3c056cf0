BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    # The throw-away server build.ps1 -Task Test starts (or tests/tools/TestPostgres.ps1); never a mock.
    $script:Server = $env:INCREMENTALPS_TEST_PG
    if (-not $script:Server) {
        throw 'INCREMENTALPS_TEST_PG is not set: run ./build.ps1 -Task Test (it starts a throw-away PostgreSQL server), or start one with tests/tools/TestPostgres.ps1.'
    }

    function New-CheckpointName { 'pester' + [guid]::NewGuid().ToString('N').Substring(0, 12) }

    function Invoke-ChildPowerShell([string] $Command) {
        $script = Join-Path $TestDrive "child-$([guid]::NewGuid()).ps1"
        Set-Content -LiteralPath $script -Value $Command
        $output = & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    function New-OtherNpgsql {
        # Another module's Npgsql: an assembly of the same name at another version (1.0), with a type of its own.
        # Compiled with the Roslyn that PowerShell ships (Add-Type would give it a random assembly name).
        $path = Join-Path $TestDrive "other-$([guid]::NewGuid().ToString('N'))/Npgsql.dll"
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $path)
        Add-Type -TypeDefinition 'public static class LoadsRoslyn { }'
        $code = @'
[assembly: System.Reflection.AssemblyVersion("1.0.0.0")]
namespace Npgsql { public static class OtherModuleProbe { public static string Hello() { return "other module"; } } }
'@
        $references = [System.AppDomain]::CurrentDomain.GetAssemblies() |
            Where-Object { -not $_.IsDynamic -and $_.Location -and $_.GetName().Name -in 'System.Runtime', 'System.Private.CoreLib' } |
            ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($_.Location) }
        $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create(
            'Npgsql',
            [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($code)),
            [Microsoft.CodeAnalysis.MetadataReference[]]@($references),
            [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
        $stream = [System.IO.File]::Create($path)
        try { $emitted = $compilation.Emit([System.IO.Stream]$stream) } finally { $stream.Dispose() }
        if (-not $emitted.Success) { throw "Could not compile the other Npgsql: $($emitted.Diagnostics -join '; ')" }
        [System.Reflection.AssemblyName]::GetAssemblyName($path).Version | Should -Be ([version]'1.0.0.0')
        [System.Reflection.AssemblyName]::GetAssemblyName($path).Name | Should -Be 'Npgsql'
        $path
    }
}

Describe 'A PostgreSQL store beside another module''s version of its dependencies' -Tag 'CI' {
    It 'works with -Store when another module loaded a different Npgsql first, and both stay usable' {
        $other = New-OtherNpgsql
        $name = New-CheckpointName
        $result = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
`$null = [System.Reflection.Assembly]::LoadFrom('$other')
Import-Module '$($script:ManifestPath)'
1..3 | Invoke-Incremental $name { "ran `$_" } -Store '$($script:Server)' -Keep
(Get-CheckpointStatus $name -Store '$($script:Server)').Completed
[Npgsql.OtherModuleProbe]::Hello()
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Npgsql' } |
    ForEach-Object { '{0} in {1}' -f `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
Reset-Checkpoint $name -Store '$($script:Server)' -Force
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match '(?s)ran 1.*ran 3.*\b3\b.*other module'
        $result.Output | Should -Match '1\.0\.0\.0 in Default'
        $result.Output | Should -Match '8\.\d+\.\d+\.\d+ in IncrementalPS'
    }

    It 'lets another module load its own Npgsql after -Store was used' {
        $other = New-OtherNpgsql
        $name = New-CheckpointName
        $result = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($script:ManifestPath)'
1..2 | Invoke-Incremental $name { } -Store '$($script:Server)'
`$null = [System.Reflection.Assembly]::LoadFrom('$other')
[Npgsql.OtherModuleProbe]::Hello()
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Npgsql' } |
    ForEach-Object { '{0} in {1}' -f `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'other module'
        $result.Output | Should -Match '1\.0\.0\.0 in Default'
        $result.Output | Should -Match '8\.\d+\.\d+\.\d+ in IncrementalPS'
    }
}

Describe 'Five workers on one checkpoint in a PostgreSQL store, some killed' -Tag 'CI' {
    BeforeAll {
        # incps as built by dotnet build (Debug or Release); built here when missing (./build.ps1 -Task Test runs Pester first).
        $repo = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
        $find = { Get-ChildItem (Join-Path $repo 'src/IncrementalPS.Cli/bin/*/net8.0/incps.dll') -ErrorAction Ignore | Sort-Object LastWriteTime -Descending | Select-Object -First 1 }
        $script:Incps = & $find
        if (-not $script:Incps) {
            dotnet build (Join-Path $repo 'src/IncrementalPS.Cli') -c Release -nologo -v q | Out-Null
            $script:Incps = & $find
        }
        $script:Incps | Should -Not -BeNullOrEmpty -Because 'incps must be built for this test'
        $script:Dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    }

    It '2 Invoke-Incremental and 3 incps workers complete 2,000 items; only items in flight in killed workers run twice' {
        $name = New-CheckpointName
        $work = Join-Path $TestDrive "workers-$name"
        $null = New-Item -ItemType Directory -Path $work
        $itemsFile = Join-Path $work 'items.txt'
        $items = 1..2000 | ForEach-Object { 'k{0:D4}' -f $_ }
        Set-Content -LiteralPath $itemsFile -Value $items
        $random = [System.Random]::new()
        $started = [ref]0

        # Each worker logs every run of an item to a file of its own (no two processes append to one file). A lease of
        # 2 s lets the others take over a killed worker's item within the test.
        function Start-Worker([string] $Kind) {
            $n = ++$started.Value
            $log = Join-Path $work "$Kind-$n.log"
            if ($Kind -eq 'pwsh') {
                $script = Join-Path $work "worker-$n.ps1"
                Set-Content -LiteralPath $script -Value @"
Import-Module '$($script:ManifestPath)'
Get-Content -LiteralPath '$itemsFile' | Invoke-Incremental $name -Store '$($script:Server)' -Keep -Lease 2 { [System.IO.File]::AppendAllText('$log', "`$_`n"); Start-Sleep -Milliseconds 5 }
"@
                $process = Start-Process -FilePath (Get-ChildPowerShell) -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -PassThru `
                    -RedirectStandardOutput "$log.out" -RedirectStandardError "$log.err"
            }
            else {
                # Through sh, which execs incps (same process id, so a kill hits incps): argument quoting stays sh's.
                $script = Join-Path $work "worker-$n.sh"
                $command = @($script:Dotnet, $script:Incps.FullName, 'run', $name, '--store', $script:Server, '--keep', '--lease', '2s', '--',
                    '/bin/sh', '-c', 'echo "$1" >> "$2"; sleep 0.005', 'sh', '{}', $log) | ForEach-Object { "'" + $_.Replace("'", "'\''") + "'" }
                Set-Content -LiteralPath $script -Value "exec $($command -join ' ') < '$itemsFile' > '$log.out' 2> '$log.err'"
                $process = Start-Process -FilePath '/bin/sh' -ArgumentList $script -PassThru
            }
            [pscustomobject]@{ Kind = $Kind; Process = $process; Log = $log }
        }

        function Get-RunCount([string] $Directory) {
            $count = 0
            foreach ($file in Get-ChildItem $Directory -Filter '*.log') { $count += [System.IO.File]::ReadAllLines($file.FullName).Count }
            $count
        }

        $running = [System.Collections.Generic.List[object]]::new()
        foreach ($kind in 'pwsh', 'pwsh', 'incps', 'incps', 'incps') { $running.Add((Start-Worker $kind)) }
        $kills = 0
        $killed = [System.Collections.Generic.List[string]]::new()
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            # Kill at points of progress, not after a time: on a fast machine the workers could finish before a timed
            # kill (a test that kills nothing proves nothing); each item takes 5 ms or more, so the job outlasts the
            # polls. And kill a worker at work, one whose log grew since the last look: not one still starting (nor
            # one done), whose kill would run nothing twice and widen the allowance for items run twice below.
            $marks = 1..4 | ForEach-Object { $items.Count * $_ / 5 }
            $logLength = @{}
            while ($kills -lt 4 -and [datetime]::UtcNow -lt $deadline) {
                Start-Sleep -Milliseconds 50
                $alive = @($running | Where-Object { -not $_.Process.HasExited })
                if ($alive.Count -eq 0) { break }
                $atWork = @($alive | Where-Object {
                    $length = if (Test-Path -LiteralPath $_.Log) { (Get-Item -LiteralPath $_.Log).Length } else { 0 }
                    $grew = $length -gt ($logLength[$_.Log] ?? 0)
                    $logLength[$_.Log] = $length
                    $grew
                })
                if ($atWork.Count -eq 0 -or (Get-RunCount $work) -lt $marks[$kills]) { continue }
                $victim = $atWork[$random.Next($atWork.Count)]
                Stop-Process -Id $victim.Process.Id -Force   # SIGKILL
                $victim.Process.WaitForExit()
                $kills++
                $killed.Add($victim.Kind)
                $victim | Add-Member -NotePropertyName Killed -NotePropertyValue $true
                # A machine that dies is replaced by one that starts over on the same input.
                $running.Add((Start-Worker $victim.Kind))
            }

            foreach ($worker in $running) {
                if ($worker.PSObject.Properties['Killed']) { continue }
                $worker.Process.WaitForExit(120000) | Should -BeTrue -Because "$($worker.Kind) worker $($worker.Process.Id) must finish"
                $worker.Process.ExitCode | Should -Be 0 -Because (Get-Content -Raw "$($worker.Log).err" -ErrorAction Ignore)
            }
        }
        finally {
            $running | Where-Object { -not $_.Process.HasExited } | ForEach-Object { Stop-Process -Id $_.Process.Id -Force }
        }

        $runs = @(Get-ChildItem $work -Filter '*.log' | ForEach-Object { Get-Content -LiteralPath $_.FullName } | Where-Object { $_ })
        Write-Host "$kills kills ($($killed -join ', ')), $($runs.Count) runs of $($items.Count) items"
        $kills | Should -BeGreaterThan 0
        @($runs | Sort-Object -Unique) | Should -Be @($items)
        # One item at a time per worker: a killed worker leaves at most one item half done, which runs again.
        ($runs.Count - $items.Count) | Should -BeLessOrEqual $kills
        $status = Get-CheckpointStatus $name -Store $script:Server
        $status.Completed | Should -Be 2000
        $status.Failed | Should -Be 0
        $status.InFlight | Should -Be 0
        Reset-Checkpoint $name -Store $script:Server -Force
    }
}
