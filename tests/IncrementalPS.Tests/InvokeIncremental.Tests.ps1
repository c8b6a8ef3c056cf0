BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
}

Describe 'Invoke-Incremental' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
    }

    Context 'running the script block' {
        It 'runs once per item in the caller''s scope with $_ and $PSItem bound' {
            $count = 0
            $output = 'a', 'b', 'c' | Invoke-Incremental run1 { $count++; "$_/$PSItem" }
            $output | Should -Be @('a/a', 'b/b', 'c/c')
            $count | Should -Be 3
        }

        It 'streams each output object down the pipeline as it is produced' {
            $log = [System.Collections.Generic.List[string]]::new()
            'a', 'b' | Invoke-Incremental stream1 { $log.Add("run $_"); $_ } | ForEach-Object { $log.Add("down $_") }
            $log | Should -Be @('run a', 'down a', 'run b', 'down b')
        }

        It 'runs without asking for confirmation when $ConfirmPreference is Medium (only -Restart asks)' {
            $ConfirmPreference = 'Medium'
            'a' | Invoke-Incremental confirm1 { "ran $_" } -Confirm:$false | Should -Be 'ran a'
            & { $ConfirmPreference = 'Medium'; 'b' | Invoke-Incremental confirm2 { "ran $_" } } | Should -Be 'ran b'
        }

        It 'takes one item from -InputObject without pipeline input' {
            Invoke-Incremental single1 { "got $_" } -InputObject 'only' | Should -Be 'got only'
        }

        It 'removes the checkpoint when every item completed' {
            'a' | Invoke-Incremental done1 { $_ } | Out-Null
            Get-CheckpointFile done1 | Should -Not -Exist
        }

        It 'keeps the checkpoint as a ledger with -Keep, so that a later run processes only new keys' {
            $seen = [System.Collections.Generic.List[string]]::new()
            'a', 'b' | Invoke-Incremental ledger1 -Keep { $seen.Add($_) }
            'a', 'b', 'c' | Invoke-Incremental ledger1 -Keep { $seen.Add($_) }
            $seen | Should -Be @('a', 'b', 'c')
            (Get-CheckpointStatus ledger1).State | Should -Be 'Completed'
        }

        It 'sums up the items it skipped in one verbose message, not one per item' {
            1..50 | Invoke-Incremental skip1 -Keep { $_ } | Out-Null
            $verbose = 1..50 | Invoke-Incremental skip1 -Keep { $_ } -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }
            $skips = @($verbose.Message -like 'Skipped*')
            $skips | Should -HaveCount 1
            $skips[0] | Should -BeLike 'Skipped 50 item(s) completed in earlier runs, 0 that failed*'
        }

        It 'processes every item again with -Restart' {
            $seen = [System.Collections.Generic.List[string]]::new()
            'a', 'b' | Invoke-Incremental restart1 -Keep { $seen.Add($_) }
            'a', 'b' | Invoke-Incremental restart1 -Keep -Restart { $seen.Add($_) }
            $seen | Should -Be @('a', 'b', 'a', 'b')
        }

        It 'changes nothing with -WhatIf' {
            'a' | Invoke-Incremental whatif1 -Keep { $_ } | Out-Null
            $before = Get-FileHash (Get-CheckpointFile whatif1)
            $output = 'a', 'b' | Invoke-Incremental whatif1 -Restart -WhatIf { "ran $_" }
            $output | Should -BeNullOrEmpty
            (Get-FileHash (Get-CheckpointFile whatif1)).Hash | Should -Be $before.Hash
            'x' | Invoke-Incremental whatif2 { $_ } -WhatIf
            Get-CheckpointFile whatif2 | Should -Not -Exist
        }

        It 'keeps the checkpoint in the file given by -Path' {
            $file = Join-Path $TestDrive 'jobs/patch.checkpoint'
            New-Item -ItemType Directory (Split-Path $file) -Force | Out-Null
            'a', 'b' | Invoke-Incremental -Path $file -Keep { $_ } | Should -Be @('a', 'b')
            $file | Should -Exist
            (Get-CheckpointStatus -Path $file).Completed | Should -Be 2
        }

        It 'writes with -Durability Full' {
            'a', 'b' | Invoke-Incremental durable1 -Durability Full -Keep { $_ } | Should -Be @('a', 'b')
            (Get-CheckpointStatus durable1).Completed | Should -Be 2
        }

        It 'warns when the script block differs from the one that did the earlier items' {
            'a' | Invoke-Incremental fp1 -Keep { "one $_" } | Out-Null
            'a' | Invoke-Incremental fp1 -Keep { "two $_" } -WarningVariable warnings -WarningAction SilentlyContinue | Out-Null
            $warnings | Should -HaveCount 1
            "$($warnings[0])" | Should -BeLike '*script block differs*'
        }
    }

    Context 'keys' {
        It 'keys files by full path' {
            $files = 1..2 | ForEach-Object { New-Item -ItemType File (Join-Path $TestDrive "f$_-$([guid]::NewGuid()).txt") }
            $files | Invoke-Incremental files1 -Keep { $_.Name } | Should -HaveCount 2
            (Get-CheckpointItem files1).Key | Should -Be @($files.FullName)
        }

        It 'asks for -Key for other objects, before recording anything' {
            $items = [pscustomobject]@{ Id = 1 }, [pscustomobject]@{ Id = 2 }
            { $items | Invoke-Incremental obj1 { $_ } } | Should -Throw -ErrorId 'KeyRequired,IncrementalPS.Commands.InvokeIncrementalCommand'
            (Get-CheckpointItem obj1 -ErrorAction Ignore) | Should -BeNullOrEmpty
        }

        It 'keys numbers by their text, so the first thing users type works' {
            1..20 | Invoke-Incremental demo -Keep { $_ * 2 } | Should -Be @(1..20 | ForEach-Object { $_ * 2 })
            (Get-CheckpointItem demo).Key | Should -Be @(1..20 | ForEach-Object { "$_" })
            1..21 | Invoke-Incremental demo -Keep { $_ * 2 } | Should -Be @(42)
        }

        It 'keys a Guid, a date, an enum, a Uri, a char and a bool by culture-invariant text' {
            $guid = [guid]'0f8fad5b-d9cb-469f-a165-70867728950e'
            $date = [datetime]::new(2026, 11, 29, 17, 5, 3, 250, [System.DateTimeKind]::Utc)
            $items = $guid, $date, [System.DayOfWeek]::Friday, [uri]'https://example.com/a?b=1', [char]'x', $true, 2.5
            $items | Invoke-Incremental typed1 -Keep { } | Out-Null
            (Get-CheckpointItem typed1).Key |
                Should -Be @('0f8fad5b-d9cb-469f-a165-70867728950e', '2026-11-29T17:05:03.2500000Z', 'Friday', 'https://example.com/a?b=1', 'x', 'True', '2.5')
        }

        It 'writes KeyUnavailable for a $null item and goes on with the others' {
            $output = 'a', $null, 'c' | Invoke-Incremental null1 { "done $_" } -ErrorVariable errors -ErrorAction SilentlyContinue
            $output | Should -Be @('done a', 'done c')
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'KeyUnavailable,IncrementalPS.Commands.InvokeIncrementalCommand'
        }

        It 'does not tell a user who gave no -Key to fix -Key' {
            $null = 'a', '' | Invoke-Incremental empty1 { } -ErrorVariable errors -ErrorAction SilentlyContinue
            $errors | Should -HaveCount 1
            "$($errors[0])" | Should -Not -BeLike '*Fix -Key*'
            "$($errors[0])" | Should -BeLike '*empty string*'
        }

        It 'takes a property name as -Key' {
            $items = [pscustomobject]@{ Id = 'x1' }, [pscustomobject]@{ Id = 'x2' }
            $items | Invoke-Incremental prop1 -Keep -Key Id { $_.Id } | Should -Be @('x1', 'x2')
            (Get-CheckpointItem prop1).Key | Should -Be @('x1', 'x2')
        }

        It 'takes a script block as -Key' {
            1..3 | Invoke-Incremental sb1 -Keep -Key { "n$_" } { $_ * 10 } | Should -Be @(10, 20, 30)
            (Get-CheckpointItem sb1).Key | Should -Be @('n1', 'n2', 'n3')
        }

        It 'writes KeyUnavailable for an item without the key property and goes on' {
            $items = [pscustomobject]@{ Id = 'x1' }, [pscustomobject]@{ Other = 1 }, [pscustomobject]@{ Id = 'x3' }
            $output = $items | Invoke-Incremental missing1 -Key Id { $_.Id } -ErrorVariable errors -ErrorAction SilentlyContinue
            $output | Should -Be @('x1', 'x3')
            $errors.FullyQualifiedErrorId | Should -Contain 'KeyUnavailable,IncrementalPS.Commands.InvokeIncrementalCommand'
        }

        It 'writes KeyUnavailable for a key that is not valid Unicode and goes on' {
            $lone = 'x' + [char]0xD800
            $output = 'a', $lone, 'c' | Invoke-Incremental lone1 { $_ } -ErrorVariable errors -ErrorAction SilentlyContinue
            $output | Should -Be @('a', 'c')
            $errors.FullyQualifiedErrorId | Should -Contain 'KeyUnavailable,IncrementalPS.Commands.InvokeIncrementalCommand'
        }

        It 'skips a key seen earlier in the same run' {
            $seen = [System.Collections.Generic.List[string]]::new()
            'a', 'a', 'b' | Invoke-Incremental dup1 { $seen.Add($_) }
            $seen | Should -Be @('a', 'b')
        }
    }

    Context 'failures' {
        It 'records a failing item, writes ItemFailed with its category and the item as target, and goes on' {
            $output = 'a', 'bad', 'c' | Invoke-Incremental fail1 { if ($_ -eq 'bad') { throw 'boom' }; $_ } `
                -ErrorVariable errors -ErrorAction SilentlyContinue -WarningVariable warnings -WarningAction SilentlyContinue
            $output | Should -Be @('a', 'c')
            $failed = $errors | Where-Object FullyQualifiedErrorId -EQ 'ItemFailed,IncrementalPS.Commands.InvokeIncrementalCommand'
            $failed | Should -HaveCount 1
            $failed.TargetObject | Should -Be 'bad'
            $failed.CategoryInfo.Category | Should -Be 'OperationStopped'
            "$($warnings[0])" | Should -BeLike '*1 item(s) failed*-RetryFailed*'
            $item = Get-CheckpointItem fail1 -State Failed
            $item.Key | Should -Be 'bad'
            $item.Error.Message | Should -Be 'boom'
            (Get-CheckpointStatus fail1).State | Should -Be 'Failed'
        }

        It 'keeps the category of a terminating Write-Error' {
            'a' | Invoke-Incremental fail2 { Write-Error 'no access' -Category PermissionDenied -ErrorAction Stop } `
                -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $failed = $errors | Where-Object FullyQualifiedErrorId -Like 'ItemFailed,*'
            $failed.CategoryInfo.Category | Should -Be 'PermissionDenied'
        }

        It 'skips failed items on the next run and runs them again with -RetryFailed' {
            $script:fail = $true
            'a', 'b' | Invoke-Incremental retry1 { if ($_ -eq 'b' -and $script:fail) { throw 'down' } } -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $seen = [System.Collections.Generic.List[string]]::new()
            'a', 'b' | Invoke-Incremental retry1 { $seen.Add($_) } -WarningAction SilentlyContinue
            $seen | Should -BeNullOrEmpty
            $script:fail = $false
            'a', 'b' | Invoke-Incremental retry1 -RetryFailed { $seen.Add($_) } -WarningAction SilentlyContinue
            $seen | Should -Be @('b')
            Get-CheckpointFile retry1 | Should -Not -Exist
        }

        It 'retries in the run with -MaxAttempts and -RetryDelay, saying so in verbose messages' {
            $script:tries = 0
            $records = 'k' | Invoke-Incremental flaky1 -MaxAttempts 3 -RetryDelay '10ms' {
                $script:tries++
                if ($script:tries -lt 3) { throw "flaky $script:tries" }
                'ok'
            } -Verbose 4>&1
            $script:tries | Should -Be 3
            $records | Where-Object { $_ -is [string] } | Should -Be 'ok'
            ($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Message -like 'Attempt * of 3*' | Should -HaveCount 2
        }

        It 'takes -RetryDelay in the forms incps takes: <_>' -ForEach '1.5', '250ms', '2s', '5m', '1h', '00:01:00' {
            'k' | Invoke-Incremental delay1 -RetryDelay $_ { 'ok' } | Should -Be 'ok'
        }

        It 'refuses a -RetryDelay that is no duration, naming the forms it takes' {
            { 'k' | Invoke-Incremental delay2 -RetryDelay 'soon' { 'ok' } } | Should -Throw '*250ms*'
        }

        It 'stops after recording the failure with -ErrorAction Stop' {
            $seen = [System.Collections.Generic.List[string]]::new()
            { 'a', 'bad', 'c' | Invoke-Incremental stop1 { $seen.Add($_); if ($_ -eq 'bad') { throw 'boom' } } -ErrorAction Stop } |
                Should -Throw -ErrorId 'ItemFailed,IncrementalPS.Commands.InvokeIncrementalCommand'
            $seen | Should -Be @('a', 'bad')
            (Get-CheckpointItem stop1 -State Failed).Key | Should -Be 'bad'
        }
    }

    Context 'what fails an item' {
        It 'fails the item on <Case>, whatever $ErrorActionPreference is, and does not run the rest of the block' -ForEach @(
            @{ Case = 'a division by zero'; Preference = 'Continue'; Block = { 1 / 0; 'not here' } }
            @{ Case = 'a .NET method that throws'; Preference = 'SilentlyContinue'; Block = { [int]::Parse('x'); 'not here' } }
            @{ Case = 'a cmdlet''s terminating error'; Preference = 'Continue'; Block = { '{' | ConvertFrom-Json; 'not here' } }
            @{ Case = 'Invoke-RestMethod to a closed port'; Preference = 'SilentlyContinue'; Block = { Invoke-RestMethod -Uri 'http://127.0.0.1:9/' -TimeoutSec 10; 'not here' } }
            @{ Case = 'an error in a function the block calls'; Preference = 'Ignore'; Block = { function Get-Broken { $null.Method(); 'not here' }; Get-Broken } }
        ) {
            $ErrorActionPreference = $Preference
            $output = 'a' | Invoke-Incremental stmt1 -Keep $Block -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $ErrorActionPreference = 'Continue'
            $output | Should -BeNullOrEmpty
            $errors | Should -HaveCount 1
            $errors[0].FullyQualifiedErrorId | Should -Be 'ItemFailed,IncrementalPS.Commands.InvokeIncrementalCommand'
            (Get-CheckpointItem stmt1).State | Should -Be 'Failed'
        }

        It 'lets a non-terminating Write-Error through and records the item completed' {
            $output = 'a' | Invoke-Incremental nonterm1 -Keep { Write-Error "warned $_"; "done $_" } -ErrorVariable errors -ErrorAction SilentlyContinue
            $output | Should -Be 'done a'
            $errors | Should -HaveCount 1
            "$($errors[0])" | Should -Be 'warned a'
            (Get-CheckpointItem nonterm1).State | Should -Be 'Completed'
        }

        It 'writes one ItemFailed per failed item, also with -MaxAttempts, and it is $Error[0]' {
            $Error.Clear()
            'a', 'b' | Invoke-Incremental once1 -MaxAttempts 3 -RetryDelay 0 { if ($_ -eq 'a') { throw 'boom' } } `
                -ErrorVariable errors -ErrorAction SilentlyContinue -WarningAction SilentlyContinue
            $errors | Should -HaveCount 1
            $Error | Should -HaveCount 1
            $Error[0].FullyQualifiedErrorId | Should -Be 'ItemFailed,IncrementalPS.Commands.InvokeIncrementalCommand'
            $Error[0].TargetObject | Should -Be 'a'
            $Error[0].Exception.InnerException.Message | Should -Be 'boom'
        }
    }

    Context 'break, continue and exit' {
        It '<Statement> leaves the enclosing loop as in ForEach-Object and leaves the item unfinished, to run again' -ForEach @(
            @{ Statement = 'break' }
            @{ Statement = 'continue' }
        ) {
            $block = [scriptblock]::Create("if (`$_ -eq 'x') { $Statement }; `$_")
            $output = foreach ($i in 1, 2) {
                'w', 'x', 'y' | Invoke-Incremental flow1 -Keep $block -ErrorVariable errors
                "after $i"
            }
            # break leaves the loop at once; continue goes on with the next pass, where w is already done.
            $output | Should -Be 'w'
            (Get-CheckpointItem flow1 | Where-Object Key -EQ 'y') | Should -BeNullOrEmpty
            $errors | Should -BeNullOrEmpty
            (Get-CheckpointStatus flow1).State | Should -Be 'Interrupted'
            $x = Get-CheckpointItem flow1 | Where-Object Key -EQ 'x'
            $x.State | Should -Be 'InFlight'
            (Get-CheckpointItem flow1 -State Failed) | Should -BeNullOrEmpty
        }

        It 'exit leaves the script and leaves the item unfinished' {
            $store = $env:INCREMENTALPS_HOME
            $script = "Import-Module '$script:ManifestPath'; `$env:INCREMENTALPS_HOME = '$store'; 'a', 'b' | Invoke-Incremental exit1 { if (`$_ -eq 'b') { exit 3 }; `$_ }; 'not here'"
            $output = & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script
            $LASTEXITCODE | Should -Be 3
            $output | Should -Be 'a'
            (Get-CheckpointItem exit1 | Where-Object Key -EQ 'b').State | Should -Be 'InFlight'
        }
    }

    Context 'setup problems are terminating and change nothing on disk' {
        It 'refuses a bad name' {
            { 'a' | Invoke-Incremental 'bad name' { $_ } } | Should -Throw -ErrorId 'InvalidCheckpointName,IncrementalPS.Commands.InvokeIncrementalCommand'
        }

        It 'refuses a -Path that is not on the file system, creating nothing' {
            Push-Location $TestDrive
            try {
                { 'a' | Invoke-Incremental -Path variable:\notafile { $_ } } | Should -Throw -ErrorId 'InvalidCheckpointPath,IncrementalPS.Commands.InvokeIncrementalCommand'
                Join-Path $TestDrive 'notafile*' | Should -Not -Exist
            }
            finally {
                Pop-Location
            }
        }

        It 'refuses a checkpoint held by a live run' {
            $run = Start-LiveRun -Name live1
            try {
                { 'a' | Invoke-Incremental live1 { $_ } } | Should -Throw -ErrorId 'CheckpointLocked,IncrementalPS.Commands.InvokeIncrementalCommand'
            }
            finally {
                Stop-LiveRun $run
            }
        }

        It 'refuses -Restart on a file that is not a checkpoint and leaves it' {
            $notes = Join-Path $TestDrive "notes-$([guid]::NewGuid()).txt"
            Set-Content $notes 'my notes'
            { 'a' | Invoke-Incremental -Path $notes -Restart -Confirm:$false { $_ } } |
                Should -Throw -ErrorId 'NotACheckpoint,IncrementalPS.Commands.InvokeIncrementalCommand'
            Get-Content $notes | Should -Be 'my notes'
        }

        It 'refuses <Case> and leaves the file as it was' -ForEach @(
            @{ Case = 'a corrupt checkpoint'; ErrorId = 'CheckpointCorrupt'; Content = '{"format":"incrementalps-checkpoint","version":1,"created":"2026-01-01T00:00:00Z","writer":"test","name":"x","settings":{}}', 'this is not json', '{"type":"run-ended","time":"2026-01-01T00:00:00Z","run":1,"outcome":"completed","seen":0,"completed":0,"failed":0,"skipped":0}' }
            @{ Case = 'a file that is not a checkpoint'; ErrorId = 'NotACheckpoint'; Content = '{"hello":"world"}', '{"x":1}' }
            # Every format from version 2 on seals its header with a CRC-32C of the bytes before it (docs/checkpoint-format.md).
            @{ Case = 'a newer format'; ErrorId = 'CheckpointFormatTooNew'; Content = '{"format":"incrementalps-checkpoint","version":99,"created":"2026-01-01T00:00:00Z","writer":"future","name":"x","settings":{},"crc":"34b6de7d"}' }
        ) {
            New-Item -ItemType Directory -Force $env:INCREMENTALPS_HOME | Out-Null
            $file = Get-CheckpointFile bad1
            [System.IO.File]::WriteAllText($file, (($Content -join "`n") + "`n"))
            $before = (Get-FileHash $file).Hash
            { 'a' | Invoke-Incremental bad1 { $_ } } | Should -Throw -ErrorId "$ErrorId,IncrementalPS.Commands.InvokeIncrementalCommand"
            (Get-FileHash $file).Hash | Should -Be $before
        }

        It 'refuses a file of someone else''s at the name of the checkpoint''s in-flight file, and Reset-Checkpoint leaves both' {
            'a' | Invoke-Incremental side1 -Keep { $_ } | Out-Null
            $file = Get-CheckpointFile side1
            $before = (Get-FileHash $file).Hash
            Set-Content "$file.inflight" 'my notes'
            { 'b' | Invoke-Incremental side1 -Keep { $_ } } |
                Should -Throw -ErrorId 'NotACheckpoint,IncrementalPS.Commands.InvokeIncrementalCommand' -ExpectedMessage "*'$file.inflight'*left unchanged*"
            Reset-Checkpoint side1 -Force -ErrorVariable problem -ErrorAction SilentlyContinue
            $problem[0].FullyQualifiedErrorId | Should -Be 'NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand'

            # Refused before anyone is asked: -WhatIf says so, and without -Force nobody is asked to confirm first.
            Reset-Checkpoint side1 -WhatIf -ErrorVariable whatIf -ErrorAction SilentlyContinue
            $whatIf[0].FullyQualifiedErrorId | Should -Be 'NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand'
            $script = "Import-Module '$script:ManifestPath'; `$env:INCREMENTALPS_HOME = '$env:INCREMENTALPS_HOME'; " +
                "Reset-Checkpoint side1 -ErrorVariable e -ErrorAction SilentlyContinue; `$e.FullyQualifiedErrorId"
            & (Join-Path $PSHOME 'pwsh') -NoProfile -NonInteractive -Command $script |
                Should -Be 'NotACheckpoint,IncrementalPS.Commands.ResetCheckpointCommand'
            Get-Content "$file.inflight" | Should -Be 'my notes'
            (Get-FileHash $file).Hash | Should -Be $before
        }

        It 'says that a damaged checkpoint is removed with Reset-Checkpoint -Force, which works' {
            New-Item -ItemType Directory -Force $env:INCREMENTALPS_HOME | Out-Null
            $file = Get-CheckpointFile bad2
            $lines = '{"format":"incrementalps-checkpoint","version":1,"created":"2026-01-01T00:00:00Z","writer":"test","name":"bad2","settings":{}}', 'this is not json', '{"type":"run-ended","time":"2026-01-01T00:00:00Z","run":1,"outcome":"completed","seen":0,"completed":0,"failed":0,"skipped":0}'
            [System.IO.File]::WriteAllText($file, (($lines -join "`n") + "`n"))
            $message = try { 'a' | Invoke-Incremental bad2 { $_ }; '' } catch { "$_" }
            $message | Should -BeLike "*'Reset-Checkpoint <name> -Force'*"
            Reset-Checkpoint bad2 -Force
            $file | Should -Not -Exist
        }
    }

    Context 'progress' {
        It 'writes progress records naming the checkpoint, with a Completed record at the end' {
            $ps = New-ModulePowerShell { 1..8 | Invoke-Incremental prog1 -Key { $_ } -TotalCount 8 { Start-Sleep -Milliseconds 60 } }
            try {
                $null = $ps.Invoke()
                $records = @($ps.Streams.Progress)
                $records.Count | Should -BeGreaterThan 1
                $records.Activity | Select-Object -Unique | Should -Be 'Invoke-Incremental: prog1'
                $records.ActivityId | Select-Object -Unique | Should -HaveCount 1
                $records[-1].RecordType | Should -Be 'Completed'
                $processing = $records | Where-Object RecordType -EQ 'Processing'
                $processing[0].StatusDescription | Should -BeLike '*/8 done*failed*items/s'
                $processing | ForEach-Object { $_.PercentComplete | Should -BeGreaterOrEqual 0 }
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'writes no progress under $ProgressPreference = SilentlyContinue' {
            $ps = New-ModulePowerShell {
                $ProgressPreference = 'SilentlyContinue'
                1..5 | Invoke-Incremental prog2 -Key { $_ } { Start-Sleep -Milliseconds 60 }
            }
            try {
                $null = $ps.Invoke()
                $ps.Streams.Progress.Count | Should -Be 0
            }
            finally {
                $ps.Dispose()
            }
        }

        It 'rewrites -ProgressFile with done/total' {
            $file = Join-Path $TestDrive "progress-$([guid]::NewGuid()).txt"
            1..3 | Invoke-Incremental pf1 -Key { $_ } -TotalCount 3 -ProgressFile $file { $_ } | Out-Null
            $file | Should -Exist
            Get-Content -Raw $file | Should -BeLike '*3/3*'
        }
    }

    Context 'output replay' {
        It 'emits the saved output of items done before with -ReplayOutput' {
            'a', 'b' | Invoke-Incremental replay1 -Keep -ReplayOutput { [pscustomobject]@{ Name = $_; Run = 1 } } | Out-Null
            $output = 'a', 'b', 'c' | Invoke-Incremental replay1 -Keep -ReplayOutput { [pscustomobject]@{ Name = $_; Run = 2 } } -WarningAction SilentlyContinue
            $output.Name | Should -Be @('a', 'b', 'c')
            $output.Run | Should -Be @(1, 1, 2)
            (Get-CheckpointItem replay1 -Key a).HasSavedOutput | Should -BeTrue
        }

        It 'does not replay without the switch' {
            'a' | Invoke-Incremental replay2 -Keep -ReplayOutput { "out $_" } | Out-Null
            'a' | Invoke-Incremental replay2 -Keep { "out $_" } | Should -BeNullOrEmpty
        }
    }

    Context 'stopping' {
        It 'leaves the checkpoint Interrupted with the in-flight item not done, and resumes' {
            $ps = New-ModulePowerShell { 1..20 | Invoke-Incremental stop2 -Key { $_ } { Start-Sleep -Milliseconds 100; $_ } }
            try {
                $null = $ps.BeginInvoke()
                Wait-Checkpoint stop2 { param($s) $s.Completed -ge 3 }
                $ps.Stop()
                $ps.InvocationStateInfo.State | Should -Be 'Stopped'
            }
            finally {
                $ps.Dispose()
            }

            $status = Get-CheckpointStatus stop2
            $status.State | Should -Be 'Interrupted'
            $status.Failed | Should -Be 0
            $done = @((Get-CheckpointItem stop2 -State Completed).Key)
            $done.Count | Should -BeGreaterOrEqual 3
            $rest = 1..20 | Invoke-Incremental stop2 -Key { $_ } { Start-Sleep -Milliseconds 100; $_ }
            ($rest + $done | ForEach-Object { [int]$_ } | Sort-Object) | Should -Be (1..20)
        }
    }
}
