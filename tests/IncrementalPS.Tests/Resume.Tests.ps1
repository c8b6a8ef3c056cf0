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
        $script = New-ModuleScript $store $command
        $child = Start-ModuleScript $script
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

        & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $script
        $LASTEXITCODE | Should -Be 0

        $runs = @(Get-Content $marker | ForEach-Object { [int]$_ })
        ($runs | Sort-Object -Unique) | Should -Be (1..$count)
        $repeated = @($runs | Group-Object | Where-Object Count -GT 1)
        $repeated.Count | Should -BeLessOrEqual 1
        if ($repeated) { $repeated[0].Count | Should -Be 2 }
        Get-CheckpointFile crash | Should -Not -Exist
    }

    It 'leaves an item in flight, not failed, when the process is killed while the item waits to be retried' {
        $store = New-TestStore
        $marker = Join-Path $TestDrive "marker-$([guid]::NewGuid()).txt"
        $fixed = Join-Path $TestDrive "fixed-$([guid]::NewGuid()).txt"
        # 'a' fails until the fixed file exists; the first failure is followed by a 20-second wait before its retry.
        $command = "'a', 'b' | Invoke-Incremental retrywait -MaxAttempts 3 -RetryDelay 20 { Add-Content -LiteralPath '$marker' -Value `$_; if (`$_ -eq 'a' -and -not (Test-Path '$fixed')) { throw 'not yet' } }"
        $script = New-ModuleScript $store $command
        $child = Start-ModuleScript $script
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ([datetime]::UtcNow -lt $deadline -and -not $child.HasExited -and -not (Test-Path $marker)) {
                Start-Sleep -Milliseconds 50
            }

            # The first attempt has failed: give the engine a moment to enter the wait, well short of its 20 seconds.
            Start-Sleep -Milliseconds 500
            $child.HasExited | Should -BeFalse -Because 'the child must be waiting to retry when it is killed'
            Stop-Process -Id $child.Id -Force
            $child.WaitForExit()
        }
        finally {
            if (-not $child.HasExited) { Stop-Process -Id $child.Id -Force }
        }

        @(Get-CheckpointItem retrywait -State Failed) | Should -BeNullOrEmpty
        $inFlight = @(Get-CheckpointItem retrywait -State InFlight)
        $inFlight.Key | Should -Be 'a'
        $inFlight.Attempts | Should -Be 1

        Set-Content -LiteralPath $fixed -Value 'fixed'
        & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $script
        $LASTEXITCODE | Should -Be 0
        @(Get-Content $marker) | Should -Be @('a', 'a', 'b')
        Get-CheckpointFile retrywait | Should -Not -Exist
    }
}
