BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
}

Describe 'Invoke-Incremental -ThrottleLimit' -Tag 'CI' {
    It 'records all 40 items of 250 ms each at -ThrottleLimit 8, several at once, each once' {
        $store = New-TestStore
        $probe = [hashtable]::Synchronized(@{ Now = 0; Max = 0 })
        $out = 1..40 | Invoke-Incremental par40 -Keep -ThrottleLimit 8 {
            $p = $using:probe
            [System.Threading.Monitor]::Enter($p.SyncRoot)
            try { $p.Now++; if ($p.Now -gt $p.Max) { $p.Max = $p.Now } } finally { [System.Threading.Monitor]::Exit($p.SyncRoot) }
            Start-Sleep -Milliseconds 250
            [System.Threading.Monitor]::Enter($p.SyncRoot)
            try { $p.Now-- } finally { [System.Threading.Monitor]::Exit($p.SyncRoot) }
            $_
        }

        ($out | Sort-Object) | Should -Be (1..40)
        $probe.Max | Should -BeGreaterThan 1
        $probe.Max | Should -BeLessOrEqual 8
        $status = Get-CheckpointStatus par40
        $status.Completed | Should -Be 40
        $status.Failed | Should -Be 0
        @(Get-CheckpointItem par40 | Where-Object Attempts -NE 1) | Should -BeNullOrEmpty
    }

    It 'after Stop-Process -Force of a child pwsh mid-run, a resume runs only the unfinished items; at most 4 ran twice' {
        $store = New-TestStore
        $marks = Join-Path $TestDrive "marks-$([guid]::NewGuid())"
        New-Item -ItemType Directory -Path $marks | Out-Null
        $count = 60
        # Each run of an item leaves a file of its own named for its key (four items at once cannot lose each
        # other's marks, as appends to one file can), then takes a while.
        $command = "1..$count | Invoke-Incremental parkill -ThrottleLimit 4 { [IO.File]::WriteAllText((Join-Path '$marks' (`"`$_.`" + [guid]::NewGuid())), ''); Start-Sleep -Milliseconds 300 }"
        $script = New-ModuleScript $store $command
        $child = Start-ModuleScript $script
        try {
            $deadline = [datetime]::UtcNow.AddSeconds(60)
            while ([datetime]::UtcNow -lt $deadline -and -not $child.HasExited -and @(Get-ChildItem $marks).Count -lt 12) {
                Start-Sleep -Milliseconds 50
            }
            $child.HasExited | Should -BeFalse -Because 'the child must still be working when it is killed'
            Stop-Process -Id $child.Id -Force
            $child.WaitForExit()
        }
        finally {
            if (-not $child.HasExited) { Stop-Process -Id $child.Id -Force }
        }

        @(Get-ChildItem $marks).Count | Should -BeLessThan $count
        $status = Get-CheckpointStatus parkill
        $status.InFlight | Should -BeLessOrEqual 4
        $status.Failed | Should -Be 0

        & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $script
        $LASTEXITCODE | Should -Be 0

        $runs = @(Get-ChildItem $marks | ForEach-Object { [int]($_.Name -split '\.')[0] })
        ($runs | Sort-Object -Unique) | Should -Be (1..$count)
        $repeated = @($runs | Group-Object | Where-Object Count -GT 1)
        $repeated.Count | Should -BeLessOrEqual 4
        $repeated | ForEach-Object { $_.Count | Should -Be 2 }
        Get-CheckpointFile parkill | Should -Not -Exist
    }

    It 'shows one bar with the items'' own Write-Progress as its children, and completes it' {
        $store = New-TestStore
        $ps = New-ModulePowerShell {
            1..4 | Invoke-Incremental parprogress -ThrottleLimit 2 -TotalCount 4 {
                Write-Progress -Activity "item $_" -Status working; Start-Sleep -Milliseconds 300; $_
            }
        }
        try {
            $null = $ps.Invoke()
            $bar = @($ps.Streams.Progress | Where-Object { $_.ParentActivityId -lt 0 -and $_.Activity -eq 'Invoke-Incremental: parprogress' })
            $bar | Should -Not -BeNullOrEmpty
            $bar[-1].RecordType | Should -Be 'Completed'
            $children = @($ps.Streams.Progress | Where-Object ParentActivityId -EQ $bar[0].ActivityId)
            @($children | Where-Object Activity -Like 'item *') | Should -Not -BeNullOrEmpty
        }
        finally {
            $ps.Dispose()
        }
    }

    It 'passes $using: values and fails an item that times out with OperationTimeout' {
        $store = New-TestStore
        $limit = 2
        $out = 1..3 | Invoke-Incremental partimeout -ThrottleLimit 2 -TimeoutSeconds 1 -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue {
            if ($_ -gt $using:limit) { Start-Sleep -Seconds 600 }
            $_
        }

        ($out | Sort-Object) | Should -Be 1, 2
        $failures.Count | Should -Be 1
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'ItemFailed,*'
        $failures[0].CategoryInfo.Category | Should -Be 'OperationTimeout'
        (Get-CheckpointItem partimeout -State Failed).Key | Should -Be '3'
    }

    It 'stops every running item on Stop() (Ctrl+C) and leaves them in flight for the next run' {
        $store = New-TestStore
        $ps = New-ModulePowerShell {
            1..20 | Invoke-Incremental parstop -ThrottleLimit 4 { if ($_ -gt 4) { Start-Sleep -Seconds 600 }; $_ }
        }
        try {
            $handle = $ps.BeginInvoke()
            Wait-Checkpoint parstop { param($s) $s.Completed -ge 4 -and $s.InFlight -ge 4 }
            $ps.Stop()
            { $ps.EndInvoke($handle) } | Should -Throw
        }
        finally {
            $ps.Dispose()
        }

        $status = Get-CheckpointStatus parstop
        $status.State | Should -Be 'Interrupted'
        $status.Failed | Should -Be 0
        $status.InFlight | Should -Be 4
    }
}

Describe 'Invoke-Incremental -BatchSize' -Tag 'CI' {
    It 'fails only the batch with the bad row, and a resume runs that batch again whole' {
        $store = New-TestStore
        $out = 1..9 | Invoke-Incremental parbatch -BatchSize 3 -ThrottleLimit 2 -ErrorVariable failures -ErrorAction SilentlyContinue -WarningAction SilentlyContinue {
            if ($_ -contains 5) { throw 'row 5 refused' }
            $_ -join ','
        }

        ($out | Sort-Object) | Should -Be '1,2,3', '7,8,9'
        $failures.Count | Should -Be 3
        (Get-CheckpointItem parbatch -State Failed).Key | Sort-Object | Should -Be '4', '5', '6'

        $again = 1..9 | Invoke-Incremental parbatch -BatchSize 3 -RetryFailed { $_ -join ',' }
        $again | Should -Be '4,5,6'
        Get-CheckpointFile parbatch | Should -Not -Exist
    }
}
