@{
    # Loads core/IncrementalPS.dll (net8.0) on PowerShell 7.4+ or desktop/IncrementalPS.dll (netstandard2.0) on
    # Windows PowerShell 5.1; see IncrementalPS.psm1.
    RootModule           = 'IncrementalPS.psm1'

    # build.ps1 stamps the version from Directory.Build.props into the built copy.
    ModuleVersion        = '0.2.0'
    GUID                 = '3389b6cf-c642-4788-9327-24469e2eb4f0'
    Author               = 'IncrementalPS contributors'
    CompanyName          = 'IncrementalPS contributors'
    Copyright            = 'Copyright (c) IncrementalPS contributors'
    Description          = 'Make any long pipeline resumable: Invoke-Incremental records each item in a checkpoint, so running the same command again after Ctrl+C, a crash, kill -9 or a reboot skips what is done.'

    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    # Windows PowerShell only: System.Text.Json 8 needs .NET Framework 4.6.2; 4.7.2 is what netstandard2.0 needs to work well.
    DotNetFrameworkVersion = '4.7.2'

    FormatsToProcess     = @('IncrementalPS.format.ps1xml')

    CmdletsToExport      = @('Invoke-Incremental', 'Get-CheckpointStatus', 'Get-CheckpointItem', 'Reset-Checkpoint', 'Suspend-Checkpoint')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags         = @('resumable', 'checkpoint', 'pipeline', 'resume', 'retry', 'batch', 'incremental', 'scheduled-task',
                             'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS')
            ProjectUri   = 'https://github.com/incrementalps/IncrementalPS'
            LicenseUri   = 'https://github.com/incrementalps/IncrementalPS/blob/main/LICENSE'
            # build.ps1 replaces this with the version's section of CHANGELOG.md.
            ReleaseNotes = @'
See CHANGELOG.md.
'@
        }
    }
}
