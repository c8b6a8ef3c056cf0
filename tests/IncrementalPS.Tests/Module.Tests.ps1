BeforeAll {
    . $PSScriptRoot/TestSetup.ps1
    $script:Cmdlets = 'Invoke-Incremental', 'Get-CheckpointStatus', 'Get-CheckpointItem', 'Reset-Checkpoint', 'Suspend-Checkpoint'
}

Describe 'The IncrementalPS module' -Tag 'CI' {
    It 'has a manifest for both editions that exports exactly its cmdlets' {
        $manifest = Import-PowerShellDataFile $script:ManifestPath
        $manifest.CompatiblePSEditions | Should -Be @('Desktop', 'Core')
        $manifest.PowerShellVersion | Should -Be '5.1'
        $manifest.CmdletsToExport | Should -Be $script:Cmdlets
        $manifest.FormatsToProcess | Should -Be 'IncrementalPS.format.ps1xml'
        $manifest.PrivateData.PSData.Tags | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.LicenseUri | Should -Not -BeNullOrEmpty
        $manifest.PrivateData.PSData.ReleaseNotes | Should -Not -BeNullOrEmpty
        (Get-Command -Module IncrementalPS).Name | Sort-Object | Should -Be ($script:Cmdlets | Sort-Object)
    }

    It 'ships no System.Text.Json of its own for PowerShell 7' {
        $core = Join-Path (Split-Path $script:ManifestPath) 'core'
        Get-ChildItem $core -Filter 'System.*.dll' | Should -BeNullOrEmpty
    }

    It 'lets scripts name the engine''s types, though the engine loads in the module''s own context' {
        # PowerShell resolves type names among the default context's assemblies only; the module adds accelerators.
        { [IncrementalPS.Core.StopForLaterException]::new('later') } | Should -Not -Throw
        [IncrementalPS.Core.CheckpointStatus].Assembly.Location | Should -BeLike '*dependencies*'
    }

    It 'has a table view and a list view for <_>' -ForEach 'IncrementalPS.Core.CheckpointStatus', 'IncrementalPS.Core.CheckpointItem' {
        $view = Get-FormatData -TypeName $_
        $view.FormatViewDefinition.Control | Should -HaveCount 2
        $view.FormatViewDefinition[0].Control | Should -BeOfType [System.Management.Automation.TableControl]
        $view.FormatViewDefinition[1].Control | Should -BeOfType [System.Management.Automation.ListControl]
    }

    It 'completes -Name with the checkpoints in the store' {
        New-TestStore | Out-Null
        'a' | Invoke-Incremental completeme -Keep { $_ } | Out-Null
        'a' | Invoke-Incremental other -Keep { $_ } | Out-Null
        $line = 'Get-CheckpointStatus comp'
        $result = TabExpansion2 -inputScript $line -cursorColumn $line.Length
        $result.CompletionMatches.CompletionText | Should -Be 'completeme'
    }
}

Describe 'Help for <_>' -Tag 'CI' -ForEach 'Invoke-Incremental', 'Get-CheckpointStatus', 'Get-CheckpointItem', 'Reset-Checkpoint', 'Suspend-Checkpoint' {
    BeforeAll {
        $script:Help = Get-Help $_ -Full
        $script:Command = Get-Command $_
    }

    It 'has a synopsis, a description and at least two examples' {
        $script:Help.Synopsis | Should -Not -BeLike "*$($script:Command.Name) *[<-]*"
        $script:Help.Description.Text | Should -Not -BeNullOrEmpty
        @($script:Help.Examples.Example).Count | Should -BeGreaterOrEqual 2
    }

    It 'describes every parameter' {
        $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
        foreach ($name in $script:Command.Parameters.Keys | Where-Object { $_ -notin $common }) {
            $parameter = $script:Help.Parameters.Parameter | Where-Object Name -EQ $name
            $parameter | Should -Not -BeNullOrEmpty -Because "-$name needs help"
            ($parameter.Description.Text -join '') | Should -Not -BeNullOrEmpty -Because "-$name needs a description"
        }
    }
}

Describe 'about_IncrementalPS' -Tag 'CI' {
    It 'is found by Get-Help' {
        Get-Help about_IncrementalPS | Out-String | Should -BeLike '*Invoke-Incremental*'
    }
}
