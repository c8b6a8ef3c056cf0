BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    # The throw-away server build.ps1 -Task Test starts (or tests/tools/TestPostgres.ps1); never a mock.
    $script:Server = $env:INCREMENTALPS_TEST_PG
    if (-not $script:Server) {
        throw 'INCREMENTALPS_TEST_PG is not set: run ./build.ps1 -Task Test (it starts a throw-away PostgreSQL server), or start one with tests/tools/TestPostgres.ps1.'
    }

    function New-CheckpointName { 'pester' + [guid]::NewGuid().ToString('N').Substring(0, 12) }

    function Invoke-ChildPowerShell([string] $Command) {
        $script = Join-Path $TestDrive "child-$([guid]::NewGuid()).ps1"
        Set-Content -LiteralPath $script -Value $Command
        $output = & (Get-ChildPowerShell) -NoProfile -NonInteractive -File $script 2>&1
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = ($output | Out-String) }
    }

    function New-OtherNpgsql {
        # Another module's Npgsql: an assembly of the same name at another version (1.0), with a type of its own.
        # Compiled with the Roslyn that PowerShell ships (Add-Type would give it a random assembly name).
        $path = Join-Path $TestDrive "other-$([guid]::NewGuid().ToString('N'))/Npgsql.dll"
        $null = New-Item -ItemType Directory -Force -Path (Split-Path $path)
        Add-Type -TypeDefinition 'public static class LoadsRoslyn { }'
        $code = @'
[assembly: System.Reflection.AssemblyVersion("1.0.0.0")]
namespace Npgsql { public static class OtherModuleProbe { public static string Hello() { return "other module"; } } }
'@
        $references = [System.AppDomain]::CurrentDomain.GetAssemblies() |
            Where-Object { -not $_.IsDynamic -and $_.Location -and $_.GetName().Name -in 'System.Runtime', 'System.Private.CoreLib' } |
            ForEach-Object { [Microsoft.CodeAnalysis.MetadataReference]::CreateFromFile($_.Location) }
        $compilation = [Microsoft.CodeAnalysis.CSharp.CSharpCompilation]::Create(
            'Npgsql',
            [Microsoft.CodeAnalysis.SyntaxTree[]]@([Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree]::ParseText($code)),
            [Microsoft.CodeAnalysis.MetadataReference[]]@($references),
            [Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions]::new([Microsoft.CodeAnalysis.OutputKind]::DynamicallyLinkedLibrary))
        $stream = [System.IO.File]::Create($path)
        try { $emitted = $compilation.Emit([System.IO.Stream]$stream) } finally { $stream.Dispose() }
        if (-not $emitted.Success) { throw "Could not compile the other Npgsql: $($emitted.Diagnostics -join '; ')" }
        [System.Reflection.AssemblyName]::GetAssemblyName($path).Version | Should -Be ([version]'1.0.0.0')
        [System.Reflection.AssemblyName]::GetAssemblyName($path).Name | Should -Be 'Npgsql'
        $path
    }
}

Describe 'A PostgreSQL store beside another module''s version of its dependencies' -Tag 'CI' {
    It 'works with -Store when another module loaded a different Npgsql first, and both stay usable' {
        $other = New-OtherNpgsql
        $name = New-CheckpointName
        $result = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
`$null = [System.Reflection.Assembly]::LoadFrom('$other')
Import-Module '$($script:ManifestPath)'
1..3 | Invoke-Incremental $name { "ran `$_" } -Store '$($script:Server)' -Keep
(Get-CheckpointStatus $name -Store '$($script:Server)').Completed
[Npgsql.OtherModuleProbe]::Hello()
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Npgsql' } |
    ForEach-Object { '{0} in {1}' -f `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
Reset-Checkpoint $name -Store '$($script:Server)' -Force
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match '(?s)ran 1.*ran 3.*\b3\b.*other module'
        $result.Output | Should -Match '1\.0\.0\.0 in Default'
        $result.Output | Should -Match '8\.\d+\.\d+\.\d+ in IncrementalPS'
    }

    It 'lets another module load its own Npgsql after -Store was used' {
        $other = New-OtherNpgsql
        $name = New-CheckpointName
        $result = Invoke-ChildPowerShell @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($script:ManifestPath)'
1..2 | Invoke-Incremental $name { } -Store '$($script:Server)'
`$null = [System.Reflection.Assembly]::LoadFrom('$other')
[Npgsql.OtherModuleProbe]::Hello()
[AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Npgsql' } |
    ForEach-Object { '{0} in {1}' -f `$_.GetName().Version, [System.Runtime.Loader.AssemblyLoadContext]::GetLoadContext(`$_).Name }
"@
        $result.ExitCode | Should -Be 0 -Because $result.Output
        $result.Output | Should -Match 'other module'
        $result.Output | Should -Match '1\.0\.0\.0 in Default'
        $result.Output | Should -Match '8\.\d+\.\d+\.\d+ in IncrementalPS'
    }
}
