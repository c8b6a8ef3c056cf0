BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
}

Describe 'Resuming after the process is killed' -Tag 'CI' {
    It 'runs each item''s side effect once, except at most the one in flight, after Stop-Process -Force of a child pwsh' {
        $store = New-TestStore
        $marker = Join-Path $TestDrive "marker-$([guid]::NewGuid()).txt"
        $count = 30
        # The same command both times: each item appends its key to the marker file, then takes a while.
        $command = "1..$count | Invoke-Incremental crash -Key { `$_ } { Add-Content -LiteralPath '$marker' -Value `$_; Start-Sleep -Milliseconds 100 }"
        $script = Join-Path $TestDrive "crash-$([guid]::NewGuid()).ps1"
        Set-Content -LiteralPath $script -Value @(
            "`$env:INCREMENTALPS_HOME = '$store'"
            "Import-Module '$($script:ManifestPath)'"
            $command
        )

        # As a .NET tool pwsh runs as "dotnet pwsh.dll": the executable in $PSHOME works for every install.
        $pwsh = Join-Path $PSHOME ($IsWindows ? "pwsh.exe" : "pwsh")
        $child = Start-Process -FilePath $pwsh -ArgumentList '-NoProfile', '-NonInteractive', '-File', $script -PassThru `
            -RedirectStandardOutput (Join-Path $TestDrive 'child.out') -RedirectStandardError (Join-Path $TestDrive 'child.err')
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ([datetime]::UtcNow -lt $deadline -and -not $child.HasExited -and
                   -not ((Test-Path $marker) -and @(Get-Content $marker).Count -ge 5)) {
                Start-Sleep -Milliseconds 50
            }
            $child.HasExited | Should -BeFalse -Because 'the child must still be working when it is killed'
            Stop-Process -Id $child.Id -Force
            $child.WaitForExit()
        }
        finally {
            if (-not $child.HasExited) { Stop-Process -Id $child.Id -Force }
        }

        $beforeKill = @(Get-Content $marker)
        $beforeKill.Count | Should -BeLessThan $count
        (Get-CheckpointStatus crash).State | Should -Be 'Interrupted'

        & $pwsh -NoProfile -NonInteractive -File $script
        $LASTEXITCODE | Should -Be 0

        $runs = @(Get-Content $marker | ForEach-Object { [int]$_ })
        ($runs | Sort-Object -Unique) | Should -Be (1..$count)
        $repeated = @($runs | Group-Object | Where-Object Count -GT 1)
        $repeated.Count | Should -BeLessOrEqual 1
        if ($repeated) { $repeated[0].Count | Should -Be 2 }
        Get-CheckpointFile crash | Should -Not -Exist
    }
}
