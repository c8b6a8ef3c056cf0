# Loads the build of IncrementalPS that fits this PowerShell:
#   PowerShell 7.4+ (Core)        core/IncrementalPS.dll     net8.0; uses the System.Text.Json PowerShell already loads
#   Windows PowerShell 5.1        desktop/IncrementalPS.dll  netstandard2.0; System.Text.Json 8 and its dependencies
#                                                            beside it, resolved without touching other modules
if ($PSEdition -eq 'Core') {
    if ($PSVersionTable.PSVersion -lt [version]'7.4') {
        throw "IncrementalPS needs PowerShell 7.4 or later (this is $($PSVersionTable.PSVersion)), or Windows PowerShell 5.1."
    }
    $folder = 'core'
}
else {
    $folder = 'desktop'
}

$binaryModule = Import-Module -Name (Join-Path $PSScriptRoot "$folder/IncrementalPS.dll") -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet @($binaryModule.ExportedCmdlets.Keys)
