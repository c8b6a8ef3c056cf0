BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    function Test-PrometheusText([string] $Text) {
        # Prometheus's own checker: the format is never judged by a parser of ours.
        if (-not (Get-Command promtool -ErrorAction Ignore)) {
            throw "promtool is not on PATH, so the metrics format cannot be checked. Install it: Debian/Ubuntu 'apt-get install -y prometheus' (.ci/run does so as root), or put the promtool of a Prometheus release on PATH."
        }
        $said = $Text | promtool check metrics 2>&1
        if ($LASTEXITCODE -ne 0 -or $said) { throw "promtool exited ${LASTEXITCODE}: $said" }
    }
}

Describe 'Invoke-Incremental -MetricsFile' -Tag 'CI' {
    BeforeEach {
        New-TestStore | Out-Null
    }

    It 'keeps the checkpoint''s counts in a Prometheus file that promtool accepts' {
        $file = Join-Path $TestDrive "metrics-$([guid]::NewGuid()).prom"

        1..3 | Invoke-Incremental mf1 -Key { $_ } -MetricsFile $file { if ($_ -eq 2) { throw 'boom' } } -ErrorAction SilentlyContinue -WarningAction SilentlyContinue

        $text = Get-Content -Raw $file
        Test-PrometheusText $text
        $text | Should -BeLike '*incrementalps_items_completed{checkpoint="mf1"} 2*'
        $text | Should -BeLike '*incrementalps_items_failed{checkpoint="mf1"} 1*'
        $text | Should -BeLike '*incrementalps_checkpoint_state{checkpoint="mf1",state="failed"} 1*'
    }

    It 'refuses a -MetricsFile in a folder that does not exist, before the checkpoint is touched' {
        $file = Join-Path $TestDrive "no-such-folder/job.prom"

        { 'a' | Invoke-Incremental mf2 -MetricsFile $file { $_ } } | Should -Throw -ErrorId 'InvalidRunOption,IncrementalPS.Commands.InvokeIncrementalCommand'

        Get-CheckpointFile mf2 | Should -Not -Exist
    }
}
