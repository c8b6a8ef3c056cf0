BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
}

# A script block stops the run for later (a rate limit) by throwing [IncrementalPS.Core.StopForLaterException]: the
# item is unfinished, not failed, the run ends with a StoppedForLater error a scheduled task can tell from a failure,
# and the next run picks the item up.
Describe 'Invoke-Incremental stop for later' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
    }

    It 'ends the run with a StoppedForLater error, leaves the item unfinished, and the next run picks it up' {
        $script:limited = $true
        $block = { if ($_ -eq 'b' -and $script:limited) { throw [IncrementalPS.Core.StopForLaterException]::new('rate limited') }; "did $_" }

        $caught = $null
        $Error.Clear()
        $output = try { 'a', 'b', 'c' | Invoke-Incremental later1 $block } catch { $caught = $_ }

        # One error, the stop; the item is not reported failed as well.
        @($Error | ForEach-Object { "$($_.FullyQualifiedErrorId)" }) | Should -Be @('StoppedForLater,IncrementalPS.Commands.InvokeIncrementalCommand')

        $output | Should -Be 'did a'
        $caught.FullyQualifiedErrorId | Should -Be 'StoppedForLater,IncrementalPS.Commands.InvokeIncrementalCommand'
        $caught.CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $caught.TargetObject | Should -Be 'b'
        $caught.Exception | Should -BeOfType ([IncrementalPS.Core.StopForLaterException])
        $caught.Exception.Message | Should -Be 'rate limited'
        $status = Get-CheckpointStatus later1
        $status.State | Should -Be 'Interrupted'
        $status.Completed | Should -Be 1
        $status.Failed | Should -Be 0
        (Get-CheckpointItem later1 -Key b).State | Should -Be 'InFlight'

        $script:limited = $false
        'a', 'b', 'c' | Invoke-Incremental later1 $block | Should -Be @('did b', 'did c')
        Get-CheckpointFile later1 | Should -Not -Exist
    }

    It 'is caught by type around the run, also with -ErrorAction Stop' {
        $result = try {
            'a' | Invoke-Incremental later2 { throw [IncrementalPS.Core.StopForLaterException]::new('maintenance window') } -ErrorAction Stop
            'not stopped'
        } catch [IncrementalPS.Core.StopForLaterException] {
            'try again later'
        } catch {
            "failed: $($_.FullyQualifiedErrorId)"
        }

        $result | Should -Be 'try again later'
    }

    It 'is not retried within the run and not recorded as failed' {
        $script:attempts = 0
        { 'a' | Invoke-Incremental later3 -MaxAttempts 3 -RetryDelay 0 { $script:attempts++; throw [IncrementalPS.Core.StopForLaterException]::new('later') } } |
            Should -Throw -ErrorId 'StoppedForLater,IncrementalPS.Commands.InvokeIncrementalCommand'

        $script:attempts | Should -Be 1
        (Get-CheckpointStatus later3).Failed | Should -Be 0
    }

    It 'with -ThrottleLimit starts no new item, and the items in flight finish and are recorded' {
        $caught = $null
        $output = try {
            1..20 | Invoke-Incremental later4 -ThrottleLimit 3 {
                if ($_ -eq 2) { Start-Sleep -Milliseconds 300; throw [IncrementalPS.Core.StopForLaterException]::new('429') }
                Start-Sleep -Milliseconds 1500
                "did $_"
            }
        } catch { $caught = $_ }

        $caught.FullyQualifiedErrorId | Should -Be 'StoppedForLater,IncrementalPS.Commands.InvokeIncrementalCommand'
        $items = Get-CheckpointItem later4
        ($items | Where-Object Key -eq '2').State | Should -Be 'InFlight'
        $done = @($items | Where-Object State -eq 'Completed')
        $done.Count | Should -BeGreaterThan 0
        $done.Count | Should -BeLessThan 19
        @($items | Where-Object State -eq 'Failed').Count | Should -Be 0
        # Every item that ran to its end wrote its output and was recorded: none was cut short.
        @($output).Count | Should -Be $done.Count
        @($items | Where-Object State -eq 'InFlight').Count | Should -Be 1
    }

    It 'with -BatchSize leaves the whole batch unfinished' {
        { 1..4 | Invoke-Incremental later5 -BatchSize 2 { if ($_ -contains 3) { throw [IncrementalPS.Core.StopForLaterException]::new('later') } } } |
            Should -Throw -ErrorId 'StoppedForLater,IncrementalPS.Commands.InvokeIncrementalCommand'

        $items = Get-CheckpointItem later5
        @($items | Where-Object State -eq 'Completed').Key | Should -Be @('1', '2')
        @($items | Where-Object State -eq 'InFlight').Key | Sort-Object | Should -Be @('3', '4')
    }
}
