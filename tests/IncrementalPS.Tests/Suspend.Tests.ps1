BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    function Start-SlowRun([string] $Store, [string] $Name, [string] $Marker, [int] $Count, [string] $Options = '') {
        # Each item first leaves a file of its own in the marker folder (the side effect the test counts; parallel items
        # cannot share one file), then takes a while.
        $null = New-Item -ItemType Directory -Path $Marker -Force
        $command = "1..$Count | Invoke-Incremental $Name -Key { `$_ } $Options { New-Item -ItemType File -Path (Join-Path '$Marker' `"`$_-`$([guid]::NewGuid())`") | Out-Null; Start-Sleep -Milliseconds 300 }"
        $script = New-ModuleScript $Store $command
        [pscustomobject]@{ Script = $script; Process = (Start-ModuleScript $script) }
    }

    function Wait-Marker([string] $Marker, [int] $Count, $Process) {
        $deadline = [datetime]::UtcNow.AddSeconds(60)
        while ([datetime]::UtcNow -lt $deadline -and -not $Process.HasExited -and
               @(Get-Started $Marker).Count -lt $Count) {
            Start-Sleep -Milliseconds 50
        }
        $Process.HasExited | Should -BeFalse -Because 'the run must still be working when it is asked to suspend'
    }

    function Get-Started([string] $Marker) {
        # One key per execution of the block.
        Get-ChildItem -LiteralPath $Marker -File -ErrorAction Ignore | ForEach-Object { [int]($_.Name -split '-')[0] }
    }

    function Wait-Exit($Process) {
        if (-not $Process.WaitForExit(60000)) {
            Stop-Process -Id $Process.Id -Force
            throw 'The run did not end within 60 s of the request to suspend.'
        }
    }
}

Describe 'Suspend-Checkpoint' -Tag 'CI' {
    It 'suspends a run in another process after its item in flight, and the same command resumes it to completion (<Mode>)' -ForEach @(
        @{ Mode = 'one by one'; Options = '' }
        @{ Mode = 'parallel'; Options = '-ThrottleLimit 4' }
    ) {
        $store = New-TestStore
        $marker = Join-Path $TestDrive "marker-$([guid]::NewGuid())"
        $count = 40
        $run = Start-SlowRun $store 'suspendme' $marker $count $Options
        try {
            Wait-Marker $marker 5 $run.Process
            Suspend-Checkpoint suspendme
            Wait-Exit $run.Process
        }
        finally {
            if (-not $run.Process.HasExited) { Stop-Process -Id $run.Process.Id -Force }
        }

        $run.Process.ExitCode | Should -Be 0
        (Get-Content "$($run.Script).out", "$($run.Script).err" -Raw) -join '' | Should -BeLike '*suspended on request*Run the same command again to resume*'

        # Every item that started was finished and recorded: none is left in flight to run twice.
        $started = @(Get-Started $marker)
        $status = Get-CheckpointStatus suspendme
        $status.State | Should -Be 'Suspended'
        $status.InFlight | Should -Be 0
        $status.Completed | Should -Be $started.Count
        $started.Count | Should -BeLessThan $count
        "$(Get-CheckpointFile suspendme).suspend" | Should -Not -Exist

        & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $run.Script
        $LASTEXITCODE | Should -Be 0

        (Get-Started $marker | Sort-Object) | Should -Be (1..$count)
        Get-CheckpointFile suspendme | Should -Not -Exist
    }

    It 'refuses a checkpoint with no live run with CheckpointNotRunning, naming it' {
        New-TestStore | Out-Null
        'a' | Invoke-Incremental idle -Keep { $_ } | Out-Null

        Suspend-Checkpoint idle -ErrorVariable failure -ErrorAction SilentlyContinue

        $failure | Should -HaveCount 1
        $failure[0].FullyQualifiedErrorId | Should -BeLike 'CheckpointNotRunning,*'
        $failure[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
        $failure[0].Exception.Message | Should -BeLike "*'idle' has no live run*"
        "$(Get-CheckpointFile idle).suspend" | Should -Not -Exist
    }

    It 'asks nothing with -WhatIf, and takes names from the pipeline' {
        New-TestStore | Out-Null
        $run = Start-LiveRun watched
        try {
            'watched' | Suspend-Checkpoint -WhatIf
            "$(Get-CheckpointFile watched).suspend" | Should -Not -Exist
            'watched' | Suspend-Checkpoint -PassThru | Select-Object -ExpandProperty Name | Should -Be 'watched'
            Wait-Checkpoint watched { param($s) $s.State -eq 'Suspended' }
        }
        finally {
            Stop-LiveRun $run
        }
    }
}

Describe 'Get-CheckpointStatus -Wait' -Tag 'CI' {
    It 'follows a run in another process to its end and writes its final status' {
        $store = New-TestStore
        $marker = Join-Path $TestDrive "marker-$([guid]::NewGuid())"
        $run = Start-SlowRun $store 'followed' $marker 10 '-Keep'
        try {
            Wait-Marker $marker 1 $run.Process
            $final = Get-CheckpointStatus followed -Wait
            $run.Process.HasExited -or $run.Process.WaitForExit(10000) | Should -BeTrue
        }
        finally {
            if (-not $run.Process.HasExited) { Stop-Process -Id $run.Process.Id -Force }
        }

        $final | Should -HaveCount 1
        $final.State | Should -Be 'Completed'
        $final.Completed | Should -Be 10
        $final.Owner | Should -BeNullOrEmpty
    }

    It 'writes the status at once when no run is live' {
        New-TestStore | Out-Null
        'a', 'b' | Invoke-Incremental still -Keep { $_ } | Out-Null

        $status = Get-CheckpointStatus still -Wait

        $status.State | Should -Be 'Completed'
        $status.Completed | Should -Be 2
    }
}
