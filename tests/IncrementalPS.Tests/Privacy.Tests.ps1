BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    $script:Secret = 'correct horse battery staple 42'
    $script:Keys = 'alice@example.com', 'bob@example.org'

    function New-HashedCheckpoint([string] $Name) {
        $env:INCREMENTALPS_KEY_SECRET = $script:Secret
        $script:Keys | Invoke-Incremental $Name -Keep -KeyHash -ReplayOutput {
            # Neither names the key: saved output and errors are not hashed (Reset-Checkpoint -Output removes them).
            if ($_ -like 'bob*') { throw 'no such mailbox' }
            'mail sent'
        } -ErrorAction SilentlyContinue -WarningAction SilentlyContinue | Out-Null
    }
}

AfterAll {
    Remove-Item Env:INCREMENTALPS_KEY_SECRET -ErrorAction Ignore
}

Describe 'Invoke-Incremental -KeyHash' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
        New-HashedCheckpoint mail
    }

    It 'keeps none of the clear keys in the file, nor the secret' {
        $text = [IO.File]::ReadAllText((Get-CheckpointFile mail))
        foreach ($key in $script:Keys) { $text | Should -Not -BeLike "*$key*" }
        $text | Should -Not -BeLike "*$($script:Secret)*"
        (Get-Content (Get-CheckpointFile mail) -TotalCount 1 | ConvertFrom-Json).version | Should -Be 3
    }

    It 'resumes with the secret: done items are skipped, new ones run' {
        $ran = [Collections.Generic.List[string]]::new()
        'alice@example.com', 'carol@example.net' | Invoke-Incremental mail -Keep -KeyHash { $ran.Add($_) }
        $ran | Should -Be @('carol@example.net')
    }

    It 'reads the secret from a file named by -KeySecretPath' {
        $file = Join-Path $TestDrive 'secret.txt'
        Set-Content -Path $file -Value $script:Secret
        Remove-Item Env:INCREMENTALPS_KEY_SECRET
        $ran = @('alice@example.com' | Invoke-Incremental mail -Keep -KeyHash -KeySecretPath $file { $_ })
        $ran.Count | Should -Be 0
    }

    It 'refuses to resume without -KeyHash, naming the file, and changes nothing' {
        $before = (Get-FileHash (Get-CheckpointFile mail)).Hash
        { 'x' | Invoke-Incremental mail -Keep { $_ } -ErrorAction Stop } | Should -Throw -ErrorId 'KeyHashMismatch,*'
        $Error[0].Exception.Message | Should -BeLike "*$(Get-CheckpointFile mail)*"
        (Get-FileHash (Get-CheckpointFile mail)).Hash | Should -Be $before
    }

    It 'refuses another secret' {
        $env:INCREMENTALPS_KEY_SECRET = 'another secret, also long enough'
        { 'x' | Invoke-Incremental mail -Keep -KeyHash { $_ } -ErrorAction Stop } | Should -Throw -ErrorId 'KeyHashMismatch,*'
    }

    It 'says so when the secret variable is not set' {
        Remove-Item Env:INCREMENTALPS_KEY_SECRET
        { 'x' | Invoke-Incremental mail -KeyHash -KeySecretVariable INCPS_NO_SUCH_VARIABLE { $_ } -ErrorAction Stop } |
            Should -Throw -ErrorId 'KeySecretUnavailable,*'
    }

    It 'Get-CheckpointItem shows the hashes, and finds an item by its clear key with -KeyHash' {
        (Get-CheckpointItem mail).Key | ForEach-Object { $_ | Should -Match '^[0-9a-f]{64}$' }
        $item = Get-CheckpointItem mail -KeyHash -Key 'bob@example.org'
        $item.State | Should -Be 'Failed'
        $item.Key | Should -Match '^[0-9a-f]{64}$'
    }

    It 'Reset-Checkpoint -Key -KeyHash forgets a clear key, so it runs again' {
        Reset-Checkpoint mail -Key 'alice@example.com' -KeyHash
        $ran = @('alice@example.com' | Invoke-Incremental mail -Keep -KeyHash { $_ })
        $ran | Should -Be @('alice@example.com')
    }

    It 'Reset-Checkpoint forgets the hashed keys piped from Get-CheckpointItem without the secret, and refuses -KeyHash with them' {
        { Get-CheckpointItem mail -State Failed | Reset-Checkpoint mail -KeyHash } |
            Should -Throw -ErrorId 'ConflictingParameters,IncrementalPS.Commands.ResetCheckpointCommand'
        Remove-Item Env:INCREMENTALPS_KEY_SECRET
        Get-CheckpointItem mail -State Failed | Reset-Checkpoint mail
        (Get-CheckpointItem mail).State | Should -Be @('Completed')
        $env:INCREMENTALPS_KEY_SECRET = $script:Secret
        $ran = @($script:Keys | Invoke-Incremental mail -Keep -KeyHash { $_ })
        $ran | Should -Be @('bob@example.org')
    }
}

Describe 'Invoke-Incremental -KeepFor' -Tag 'CI' {
    BeforeEach { New-TestStore | Out-Null }

    It 'needs -Keep' {
        { 'a' | Invoke-Incremental ledger -KeepFor 30d { $_ } -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingParameters,*'
    }

    It 'keeps items younger than the limit' {
        'a', 'b' | Invoke-Incremental ledger -Keep { } | Out-Null
        'c' | Invoke-Incremental ledger -Keep -KeepFor 30d { } | Out-Null
        (Get-CheckpointItem ledger).Key | Should -Be @('a', 'b', 'c')
    }
}

Describe 'Reset-Checkpoint -Output' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
        $env:INCREMENTALPS_KEY_SECRET = $script:Secret
        New-HashedCheckpoint mail
    }

    It 'drops saved output and error texts and keeps every state' {
        $before = Get-CheckpointItem mail | Sort-Object Key | ForEach-Object { "$($_.Key) $($_.State)" }
        Reset-Checkpoint mail -Output
        $text = [IO.File]::ReadAllText((Get-CheckpointFile mail))
        $text | Should -Not -BeLike '*mail sent*'
        $text | Should -Not -BeLike '*no such mailbox*'
        (Get-CheckpointItem mail | Sort-Object Key | ForEach-Object { "$($_.Key) $($_.State)" }) | Should -Be $before
        (Get-CheckpointItem mail -State Failed).Error.Message | Should -Be '(error text removed)'
    }

    It 'changes nothing with -WhatIf' {
        $before = (Get-FileHash (Get-CheckpointFile mail)).Hash
        Reset-Checkpoint mail -Output -WhatIf
        (Get-FileHash (Get-CheckpointFile mail)).Hash | Should -Be $before
    }

    It 'refuses a file that is not a checkpoint and leaves it as it was' {
        $notes = Join-Path $TestDrive 'notes.txt'
        Set-Content -Path $notes -Value 'my notes'
        Reset-Checkpoint -Path $notes -Output -ErrorAction SilentlyContinue -ErrorVariable problem
        $problem[0].FullyQualifiedErrorId | Should -BeLike 'NotACheckpoint,*'
        Get-Content $notes | Should -Be 'my notes'
    }

    It 'cannot be combined with -Failed' {
        { Reset-Checkpoint mail -Output -Failed -ErrorAction Stop } | Should -Throw -ErrorId 'ConflictingParameters,*'
    }
}
