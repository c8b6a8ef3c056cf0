# Loads the build of IncrementalPS that fits this PowerShell:
#   PowerShell 7.4+ (Core)        core/IncrementalPS.dll     net8.0; uses the System.Text.Json PowerShell already loads;
#                                                            the engine and Npgsql in core/dependencies/, in their own context
#   Windows PowerShell 5.1        desktop/IncrementalPS.dll  netstandard2.0; System.Text.Json 8 and its dependencies
#                                                            beside it, resolved without touching other modules
if ($PSEdition -eq 'Core') {
    if ($PSVersionTable.PSVersion -lt [version]'7.4') {
        throw "IncrementalPS needs PowerShell 7.4 or later (this is $($PSVersionTable.PSVersion)), or Windows PowerShell 5.1."
    }
    $folder = 'core'
    # The engine and the PostgreSQL driver load in an AssemblyLoadContext of the module's own (core/dependencies/), so
    # that other modules' versions of Npgsql and Microsoft.Extensions.* neither break nor are broken by this one. The
    # resolver must be in place before Import-Module reads the cmdlets, whose parameter types come from the engine.
    $null = [System.Reflection.Assembly]::LoadFrom((Join-Path $PSScriptRoot 'core/IncrementalPS.dll'))
    [IncrementalPS.Loading.CoreModuleInitializer]::Register()
}
else {
    # Windows PowerShell does not enforce the manifest's DotNetFrameworkVersion. The netstandard2.0 build needs the
    # facades that .NET Framework 4.7.2 (release 461808) includes; on 4.6.2-4.7.1 it fails to load with an obscure
    # type-load error. The release number is read as Microsoft documents ("How to: Determine which .NET Framework
    # versions are installed"); if it cannot be read, the import goes on and fails, if at all, on its own terms.
    $ndp = Get-ItemProperty -LiteralPath 'HKLM:\SOFTWARE\Microsoft\NET Framework Setup\NDP\v4\Full' -Name Release -ErrorAction Ignore
    if ($ndp -and $ndp.Release -lt 461808) {
        throw "IncrementalPS needs .NET Framework 4.7.2 or later in Windows PowerShell 5.1 (this machine has release $($ndp.Release)). " +
            'Install .NET Framework 4.8 (https://dotnet.microsoft.com/download/dotnet-framework), or use PowerShell 7.4 or later.'
    }
    $folder = 'desktop'
}

$binaryModule = Import-Module -Name (Join-Path $PSScriptRoot "$folder/IncrementalPS.dll") -PassThru -ErrorAction Stop
Export-ModuleMember -Cmdlet @($binaryModule.ExportedCmdlets.Keys)
