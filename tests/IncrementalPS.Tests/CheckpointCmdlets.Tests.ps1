BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    function New-Checkpoint([string] $Name, [string[]] $Keys, [string[]] $Failing = @()) {
        $Keys | Invoke-Incremental $Name -Keep { if ($Failing -contains $_) { throw "failed $_" } } -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
    }
}

Describe 'Get-CheckpointStatus' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
        New-Checkpoint alpha 'a', 'b'
        New-Checkpoint beta 'a', 'b', 'c' -Failing 'c'
    }

    It 'lists every checkpoint in the store without arguments' {
        $status = Get-CheckpointStatus
        $status.Name | Should -Be @('alpha', 'beta')
        $status[0].PSObject.TypeNames[0] | Should -Be 'IncrementalPS.Core.CheckpointStatus'
    }

    It 'reports state, counts, total and times' {
        $beta = Get-CheckpointStatus beta
        $beta.State | Should -Be 'Failed'
        $beta.Completed | Should -Be 2
        $beta.Failed | Should -Be 1
        $beta.InFlight | Should -Be 0
        $beta.Path | Should -Be (Get-CheckpointFile beta)
        $beta.UpdatedAt | Should -Not -BeNullOrEmpty
        $beta.StartedAt | Should -Not -BeNullOrEmpty
        $beta.Owner | Should -BeNullOrEmpty
        foreach ($property in 'Total', 'PercentComplete', 'Rate', 'ETA') {
            $beta.PSObject.Properties.Name | Should -Contain $property
        }
    }

    It 'shows percent and rate to one decimal in the table and list views' {
        'a', 'b', 'c' | Invoke-Incremental fmt1 -Keep -TotalCount 7 { } | Out-Null
        $list = Get-CheckpointStatus fmt1 | Format-List | Out-String
        $table = Get-CheckpointStatus fmt1 | Format-Table | Out-String
        $list | Should -Match 'PercentComplete\s*:\s*42\.9%'
        $list | Should -Not -Match '42\.857'
        $table | Should -Match '42\.9%'
    }

    It 'groups items listed from several checkpoints under each checkpoint''s name' {
        $text = 'alpha', 'beta' | ForEach-Object { Get-CheckpointItem $_ } | Format-Table | Out-String
        $text | Should -Match 'Checkpoint: alpha'
        $text | Should -Match 'Checkpoint: beta'
    }

    It 'matches names with wildcards' {
        (Get-CheckpointStatus 'b*').Name | Should -Be 'beta'
        Get-CheckpointStatus 'z*' | Should -BeNullOrEmpty
    }

    It 'reads checkpoints by -Path, with wildcards' {
        (Get-CheckpointStatus -Path (Get-CheckpointFile alpha)).Name | Should -Be 'alpha'
        (Get-CheckpointStatus -Path (Join-Path $env:INCREMENTALPS_HOME '*.checkpoint.jsonl')).Name | Should -Be @('alpha', 'beta')
    }

    It 'reads a checkpoint whose path holds wildcard characters as it is' {
        $folder = Join-Path $TestDrive 'run[1]'
        New-Item -ItemType Directory -Path $folder -Force | Out-Null
        $file = Join-Path $folder 'cp.jsonl'
        'a', 'b' | Invoke-Incremental -Path $file { $_ } -Keep | Out-Null
        (Get-CheckpointStatus -Path $file).Completed | Should -Be 2
        Reset-Checkpoint -Path $file -Force
        [System.IO.File]::Exists($file) | Should -BeFalse
    }

    It 'writes CheckpointNotFound for a name that does not exist' {
        Get-CheckpointStatus nope -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,IncrementalPS.Commands.GetCheckpointStatusCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'writes InvalidCheckpointName for a bad name' {
        Get-CheckpointStatus 'no/slash' -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidCheckpointName,IncrementalPS.Commands.GetCheckpointStatusCommand'
    }

    It 'shows a live run as Running with its owner' {
        $run = Start-LiveRun -Name live2
        try {
            $status = Get-CheckpointStatus live2
            $status.State | Should -Be 'Running'
            $status.Owner.ProcessId | Should -Be $PID
        }
        finally {
            Stop-LiveRun $run
        }
        (Get-CheckpointStatus live2).State | Should -Be 'Interrupted'
    }
}

Describe 'Get-CheckpointItem' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
        New-Checkpoint gamma 'apple', 'banana', 'cherry' -Failing 'banana'
    }

    It 'returns one object per item with key, state, attempts, error, completion time and duration' {
        $items = Get-CheckpointItem gamma
        $items.Key | Should -Be @('apple', 'banana', 'cherry')
        $items[0].PSObject.TypeNames[0] | Should -Be 'IncrementalPS.Core.CheckpointItem'
        $items[0].Checkpoint | Should -Be 'gamma'
        $apple = $items | Where-Object Key -EQ 'apple'
        $apple.State | Should -Be 'Completed'
        $apple.Attempts | Should -Be 1
        $apple.CompletedAt | Should -Not -BeNullOrEmpty
        $apple.Duration | Should -BeOfType [timespan]
        ($items | Where-Object Key -EQ 'banana').Error.Message | Should -Be 'failed banana'
    }

    It 'filters by -State' {
        (Get-CheckpointItem gamma -State Failed).Key | Should -Be 'banana'
        (Get-CheckpointItem gamma -State Completed).Key | Should -Be @('apple', 'cherry')
        Get-CheckpointItem gamma -State InFlight | Should -BeNullOrEmpty
    }

    It 'filters by -Key with wildcards' {
        (Get-CheckpointItem gamma -Key '*an*').Key | Should -Be 'banana'
    }

    It 'reads by -Path, also from Get-CheckpointStatus on the pipeline' {
        (Get-CheckpointItem -Path (Get-CheckpointFile gamma)).Key | Should -HaveCount 3
        (Get-CheckpointStatus gamma | Get-CheckpointItem -State Failed).Key | Should -Be 'banana'
    }

    It 'writes CheckpointNotFound for a checkpoint that does not exist' {
        Get-CheckpointItem nope -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,IncrementalPS.Commands.GetCheckpointItemCommand'
    }
}

Describe 'Reset-Checkpoint' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
        New-Checkpoint delta 'a', 'b', 'c' -Failing 'b', 'c'
        New-Checkpoint epsilon 'x'
    }

    It 'removes a completed ledger when -Force is given' {
        Reset-Checkpoint epsilon -Force
        Get-CheckpointFile epsilon | Should -Not -Exist
    }

    It 'asks before removing a ledger that holds completed items: ForceRequired where nobody can be asked' {
        $script = "Import-Module '$script:ManifestPath'; `$env:INCREMENTALPS_HOME = '$env:INCREMENTALPS_HOME'; " +
            "Get-CheckpointStatus | Where-Object State -eq Completed | Reset-Checkpoint -ErrorVariable e -ErrorAction SilentlyContinue; `$e.FullyQualifiedErrorId"
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
        (Get-CheckpointStatus epsilon).State | Should -Be 'Completed'
        $output | Should -Be 'ForceRequired,IncrementalPS.Commands.ResetCheckpointCommand'
        Get-CheckpointFile epsilon | Should -Exist
    }

    It 'names -Confirm:$false when -Confirm cannot ask' {
        $script = "Import-Module '$script:ManifestPath'; `$env:INCREMENTALPS_HOME = '$env:INCREMENTALPS_HOME'; " +
            "Reset-Checkpoint delta -Failed -Confirm -ErrorVariable e -ErrorAction SilentlyContinue; `$e.FullyQualifiedErrorId; `"`$(`$e[0])`""
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
        $output[0] | Should -Be 'ForceRequired,IncrementalPS.Commands.ResetCheckpointCommand'
        $output[1] | Should -BeLike '*-Confirm:$false*'
        (Get-CheckpointItem delta -State Failed) | Should -HaveCount 2
    }

    It 'removes a checkpoint with unfinished work when -Force is given' {
        Reset-Checkpoint delta -Force
        Get-CheckpointFile delta | Should -Not -Exist
    }

    It 'forgets only the failed items with -Failed' {
        Reset-Checkpoint delta -Failed
        (Get-CheckpointItem delta).Key | Should -Be 'a'
        $seen = [System.Collections.Generic.List[string]]::new()
        'a', 'b', 'c' | Invoke-Incremental delta { $seen.Add($_) } -WarningAction SilentlyContinue
        $seen | Should -Be @('b', 'c')
    }

    It 'forgets the given keys with -Key' {
        Reset-Checkpoint delta -Key 'a', 'c'
        (Get-CheckpointItem delta).Key | Should -Be 'b'
    }

    It 'forgets the items piped from Get-CheckpointItem, so that only those run again' {
        'p1', 'p2', 'p3', 'p4' | Invoke-Incremental picked -Keep {
            if ($_ -ne 'p4') { throw "$(if ($_ -eq 'p2') { 'access denied' } else { 'timeout' }) on $_" }
        } -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
        $runsBefore = (Get-CheckpointStatus picked).Runs

        Get-CheckpointItem picked -State Failed | Where-Object { $_.Error.Message -like 'timeout*' } | Reset-Checkpoint picked

        (Get-CheckpointItem picked | Sort-Object Key | ForEach-Object { "$($_.Key):$($_.State)" }) | Should -Be @('p2:Failed', 'p4:Completed')
        $seen = [System.Collections.Generic.List[string]]::new()
        'p1', 'p2', 'p3', 'p4' | Invoke-Incremental picked -Keep { $seen.Add($_) } -WarningAction SilentlyContinue
        $seen | Should -Be @('p1', 'p3')
        (Get-CheckpointStatus picked).Runs | Should -Be ($runsBefore + 1)
    }

    It 'changes nothing when no item is piped in, and with -WhatIf when items are' {
        $before = (Get-FileHash (Get-CheckpointFile delta)).Hash
        @() | Reset-Checkpoint delta -Force
        Get-CheckpointItem delta -State Failed | Reset-Checkpoint delta -WhatIf
        (Get-FileHash (Get-CheckpointFile delta)).Hash | Should -Be $before
    }

    It 'never removes the checkpoint for an object without a Key among the items piped in' {
        @(Get-CheckpointItem delta -State Failed) + [pscustomobject]@{ State = 'x' } + $null |
            Reset-Checkpoint delta -Force -ErrorVariable problems -ErrorAction SilentlyContinue
        $problems.FullyQualifiedErrorId | Should -Be @('InputObjectNotBound,IncrementalPS.Commands.ResetCheckpointCommand', 'InputObjectNotBound,IncrementalPS.Commands.ResetCheckpointCommand')
        Get-CheckpointFile delta | Should -Exist
        (Get-CheckpointItem delta).Key | Should -Be 'a'
    }

    It 'forgets keys piped in only in the one checkpoint they come from' {
        New-Checkpoint delta2 'a', 'b' -Failing 'b'
        $before = (Get-FileHash (Get-CheckpointFile delta2)).Hash
        { Get-CheckpointItem delta -State Failed | Reset-Checkpoint delta* } |
            Should -Throw -ErrorId 'ConflictingParameters,IncrementalPS.Commands.ResetCheckpointCommand'
        { Get-CheckpointItem delta -State Failed | Reset-Checkpoint delta2 } |
            Should -Throw -ErrorId 'ConflictingParameters,IncrementalPS.Commands.ResetCheckpointCommand'
        # A path that comes in with each key (Import-Csv of Path,Key) would send every key to the last row's checkpoint.
        { [pscustomobject]@{ Path = (Get-CheckpointFile delta2); Key = 'b' } | Reset-Checkpoint } |
            Should -Throw -ErrorId 'ConflictingParameters,IncrementalPS.Commands.ResetCheckpointCommand'
        (Get-FileHash (Get-CheckpointFile delta2)).Hash | Should -Be $before
        (Get-CheckpointItem delta -State Failed) | Should -HaveCount 2
    }

    It 'refuses -Failed or -Output with keys piped in' {
        { Get-CheckpointItem delta -State Failed | Reset-Checkpoint delta -Failed } |
            Should -Throw -ErrorId 'ConflictingParameters,IncrementalPS.Commands.ResetCheckpointCommand'
        (Get-CheckpointItem delta -State Failed) | Should -HaveCount 2
    }

    It 'changes nothing with -WhatIf' {
        $before = (Get-FileHash (Get-CheckpointFile delta)).Hash
        Reset-Checkpoint delta -Force -WhatIf
        Reset-Checkpoint delta -Failed -WhatIf
        (Get-FileHash (Get-CheckpointFile delta)).Hash | Should -Be $before
    }

    It 'resets checkpoints piped from Get-CheckpointStatus' {
        Get-CheckpointStatus | Reset-Checkpoint -Force
        Get-CheckpointStatus | Should -BeNullOrEmpty
    }

    It 'takes -Path' {
        Reset-Checkpoint -Path (Get-CheckpointFile epsilon) -Force
        Get-CheckpointFile epsilon | Should -Not -Exist
    }

    It 'refuses a live run' {
        $run = Start-LiveRun -Name live3
        try {
            Reset-Checkpoint live3 -Force -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors[0].FullyQualifiedErrorId | Should -Be 'CheckpointLocked,IncrementalPS.Commands.ResetCheckpointCommand'
            $errors[0].CategoryInfo.Category | Should -Be 'ResourceBusy'
            Get-CheckpointFile live3 | Should -Exist
        }
        finally {
            Stop-LiveRun $run
        }
    }

    It 'refuses a file that is not a checkpoint, leaving it and no .lock beside it' {
        $notes = Join-Path $TestDrive "notes-$([guid]::NewGuid()).txt"
        Set-Content $notes 'my notes'
        Reset-Checkpoint -Path $notes -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Be 'NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand'
        $errors[0].CategoryInfo.Category | Should -Be 'InvalidData'
        Get-Content $notes | Should -Be 'my notes'
        "$notes.lock" | Should -Not -Exist

        # Refused before anything is asked: -WhatIf does not say it would remove it.
        Reset-Checkpoint -Path $notes -WhatIf -ErrorVariable whatIf -ErrorAction SilentlyContinue
        $whatIf[0].FullyQualifiedErrorId | Should -Be 'NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand'
        Get-Content $notes | Should -Be 'my notes'
    }

    It 'leaves a folder''s files alone when they are piped in with -Force, removing only the checkpoint' {
        $folder = New-Item -ItemType Directory (Join-Path $TestDrive "job-$([guid]::NewGuid())")
        Set-Content (Join-Path $folder 'job.ps1') 'Write-Output job'
        Set-Content (Join-Path $folder 'data.csv') "a,b`n1,2"
        Copy-Item (Get-CheckpointFile epsilon) (Join-Path $folder 'job.checkpoint.jsonl')
        Get-ChildItem $folder | Reset-Checkpoint -Force -ErrorAction SilentlyContinue -ErrorVariable errors
        $errors.FullyQualifiedErrorId | Should -Be @('NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand', 'NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand')
        # The removed checkpoint's own .lock stays on POSIX, by design (see CheckpointLock.Release).
        (Get-ChildItem $folder -Exclude '*.lock').Name | Should -Be @('data.csv', 'job.ps1')
        Get-Content (Join-Path $folder 'job.ps1') | Should -Be 'Write-Output job'
    }

    It 'forgets a key longer than 256 characters by the key the user gave' {
        $long = 'k' * 300
        $long, 'short' | Invoke-Incremental longkey -Keep { } | Out-Null
        Reset-Checkpoint longkey -Key $long -WarningVariable warnings
        $warnings | Should -BeNullOrEmpty
        (Get-CheckpointItem longkey).Key | Should -Be 'short'
    }

    It 'warns when -Key matched nothing' {
        Reset-Checkpoint delta -Key 'A', 'zzz' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -BeLike '2 of the 2 key(s) given are not in checkpoint*'
        (Get-CheckpointItem delta) | Should -HaveCount 3
    }

    It 'names -Force when nobody can be asked to confirm' {
        $script = "Import-Module '$script:ManifestPath'; `$env:INCREMENTALPS_HOME = '$env:INCREMENTALPS_HOME'; " +
            "Reset-Checkpoint delta -Confirm:`$false -ErrorVariable e -ErrorAction SilentlyContinue; `$e.FullyQualifiedErrorId; `"`$(`$e[0])`""
        $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
        $output[0] | Should -Be 'ForceRequired,IncrementalPS.Commands.ResetCheckpointCommand'
        $output[1] | Should -BeLike '*add -Force*'
        Get-CheckpointFile delta | Should -Exist
    }

    It 'refuses -Failed with -Key' {
        { Reset-Checkpoint delta -Failed -Key a } | Should -Throw -ErrorId 'ConflictingParameters,IncrementalPS.Commands.ResetCheckpointCommand'
    }

    It 'writes CheckpointNotFound for a checkpoint that does not exist' {
        Reset-Checkpoint nope -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'CheckpointNotFound,IncrementalPS.Commands.ResetCheckpointCommand'
    }

    It 'writes InvalidCheckpointPath, not CheckpointNotFound, for a directory in the checkpoint''s place, and leaves it' {
        $folder = New-Item -ItemType Directory -Path (Get-CheckpointFile folder)
        Set-Content -LiteralPath (Join-Path $folder 'keep.txt') -Value 'mine'
        Reset-Checkpoint folder -Force -ErrorVariable errors -ErrorAction SilentlyContinue
        $errors[0].FullyQualifiedErrorId | Should -Be 'InvalidCheckpointPath,IncrementalPS.Commands.ResetCheckpointCommand'
        $errors[0].Exception.Message | Should -BeLike '*is a directory*'
        Get-Content -LiteralPath (Join-Path $folder 'keep.txt') | Should -Be 'mine'
    }
}
