#Requires -Version 7.0
<#
.SYNOPSIS
    Builds, tests and packages the IncrementalPS module.

.DESCRIPTION
    Build    Compiles src/IncrementalPS for net8.0 and netstandard2.0 and lays out an importable module in
             out/IncrementalPS/<version>/ (manifest, loader, format file, help, core/ and desktop/ assemblies).
    Test     Build, then runs the Pester 5 tests in tests/IncrementalPS.Tests against the built module in a fresh
             pwsh (Pester is restored from NuGet into out/tools, pinned in tests/tools/TestTools.csproj), then
             'dotnet test' unless -NoDotnetTest, and prints one 'N passed, N failed' line per runner and a total.
    Package  Build, then makes <OutputPath>/packages/IncrementalPS.<version>.nupkg with Publish-PSResource to a local
             folder repository, and incps.<version>.nupkg (dotnet pack) beside it: one folder that serves as a local
             or internal feed for Install-PSResource and dotnet tool install.
    Help     Regenerates module/IncrementalPS/en-US from the markdown in module/IncrementalPS/docs with PlatyPS
             (New-ExternalHelp). The generated files are committed, so building never needs PlatyPS.
    Clean    Removes out/ and the cmdlet project's bin/ and obj/.

.EXAMPLE
    ./build.ps1 -Task Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Help', 'Clean')]
    [string[]] $Task = 'Build',

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release',

    # Run only the Pester tests.
    [switch] $NoDotnetTest,

    # The version to stamp into the assemblies, the manifest and incps. Default: <Version> in Directory.Build.props,
    # the one version of the module, the engine and incps.
    [ValidatePattern('^\d+\.\d+\.\d+$')]
    [string] $Version,

    # Where the module, the packages and the test tools go.
    [string] $OutputPath
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$root = $PSScriptRoot
$project = Join-Path $root 'src/IncrementalPS/IncrementalPS.csproj'
$moduleSource = Join-Path $root 'module/IncrementalPS'
$version = if ($Version) { $Version } else {
    ([xml](Get-Content -Raw (Join-Path $root 'Directory.Build.props'))).Project.PropertyGroup |
        ForEach-Object { $_.SelectSingleNode('Version') } | Where-Object { $_ } | Select-Object -First 1 -ExpandProperty InnerText
}
$out = if ($OutputPath) { [IO.Path]::GetFullPath($OutputPath) } else { Join-Path $root 'out' }
$moduleOut = Join-Path $out "IncrementalPS/$version"

# What ships from each build: the cmdlets, the engine and, on Windows PowerShell only, System.Text.Json 8 and the
# assemblies it needs. Listed rather than copied wholesale so that nothing else slips into the package.
$coreFiles = 'IncrementalPS.dll', 'IncrementalPS.pdb', 'IncrementalPS.Core.dll', 'IncrementalPS.Core.pdb'
# PowerShell 7 loads the engine and the PostgreSQL driver in an AssemblyLoadContext of the module's own, from
# core/dependencies/ (see src/IncrementalPS/Loading/CoreModuleInitializer.cs); the cmdlets stay in core/.
$coreDependencies = 'IncrementalPS.Core.dll', 'IncrementalPS.Core.pdb', 'Npgsql.dll', 'Microsoft.Extensions.Logging.Abstractions.dll',
    'Microsoft.Extensions.DependencyInjection.Abstractions.dll'
$desktopFiles = $coreFiles + @(
    'System.Text.Json.dll', 'System.Text.Encodings.Web.dll', 'Microsoft.Bcl.AsyncInterfaces.dll', 'System.Buffers.dll',
    'System.Memory.dll', 'System.Numerics.Vectors.dll', 'System.Runtime.CompilerServices.Unsafe.dll',
    'System.Threading.Tasks.Extensions.dll')

function Invoke-Native {
    param([string] $Command, [string[]] $Arguments)
    Write-Host "> $Command $($Arguments -join ' ')"
    & $Command @Arguments
    if ($LASTEXITCODE -ne 0) { throw "$Command failed with exit code $LASTEXITCODE." }
}

function Invoke-Build {
    $publish = Join-Path $out 'publish'
    Remove-Item -Recurse -Force $moduleOut, $publish -ErrorAction Ignore
    foreach ($framework in 'net8.0', 'netstandard2.0') {
        Invoke-Native dotnet @('publish', $project, '-f', $framework, '-c', $Configuration, '-o', (Join-Path $publish $framework), "-p:Version=$version", '-nologo', '-v', 'q')
    }

    New-Item -ItemType Directory -Force -Path $moduleOut | Out-Null
    foreach ($file in 'IncrementalPS.psd1', 'IncrementalPS.psm1', 'IncrementalPS.format.ps1xml') {
        Copy-Item (Join-Path $moduleSource $file) $moduleOut
    }

    # Stamp the version the assemblies carry, and its section of CHANGELOG.md, into the manifest.
    $manifest = Join-Path $moduleOut 'IncrementalPS.psd1'
    # (-replace reads '$' in its replacement as a group reference: double it.)
    $notes = (Get-ReleaseNotes $version).Replace('$', '$$')
    (Get-Content -Raw $manifest) -replace "ModuleVersion(\s*)= '[^']*'", "ModuleVersion`$1= '$version'" `
        -replace "(?s)ReleaseNotes = @'.*?'@", "ReleaseNotes = @'`n$notes`n'@" |
        Set-Content -NoNewline -Encoding utf8 $manifest

    # about_ topics are found beside the manifest. Cmdlet help is looked up in the base of the module the command
    # came from: PowerShell 7 reports the root module, so en-US/ beside the manifest; a copy beside each assembly
    # covers hosts that report the nested binary module instead.
    $help = Join-Path $moduleSource 'en-US'
    New-Item -ItemType Directory -Force -Path (Join-Path $moduleOut 'en-US') | Out-Null
    Copy-Item (Join-Path $help 'about_IncrementalPS.help.txt'), (Join-Path $help 'IncrementalPS.dll-Help.xml') (Join-Path $moduleOut 'en-US')

    foreach ($build in @(@{ Folder = 'core'; Framework = 'net8.0'; Files = $coreFiles[0..1]; Dependencies = $coreDependencies },
                         @{ Folder = 'desktop'; Framework = 'netstandard2.0'; Files = $desktopFiles; Dependencies = @() })) {
        $target = Join-Path $moduleOut $build.Folder
        New-Item -ItemType Directory -Force -Path (Join-Path $target 'en-US') | Out-Null
        foreach ($file in $build.Files) {
            Copy-Item (Join-Path $publish $build.Framework $file) $target
        }
        if ($build.Dependencies) {
            $dependencies = New-Item -ItemType Directory -Force -Path (Join-Path $target 'dependencies')
            foreach ($file in $build.Dependencies) {
                Copy-Item (Join-Path $publish $build.Framework $file) $dependencies
            }
        }
        Copy-Item (Join-Path $help 'IncrementalPS.dll-Help.xml') (Join-Path $target 'en-US')
    }

    Remove-Item -Recurse -Force $publish
    Test-ModuleManifest $manifest | Out-Null
    Write-Host "Module laid out in $moduleOut"
}

function Get-ReleaseNotes([string] $ForVersion) {
    # The CHANGELOG.md section '## <version>' (with an optional note after the version), up to the next section.
    $changelog = Get-Content -Raw (Join-Path $root 'CHANGELOG.md')
    $pattern = '(?ms)^## ' + [regex]::Escape($ForVersion) + '\b[^\n]*\n(.*?)(?=^## |\z)'
    $match = [regex]::Match($changelog, $pattern)
    if (-not $match.Success -and $Version) {
        # An explicit -Version (a test or private build) may have no section of its own: it carries the newest.
        Write-Warning "CHANGELOG.md has no '## $ForVersion' section; the manifest carries the newest section's notes."
        $match = [regex]::Match($changelog, '(?ms)^## [^\n]*\n(.*?)(?=^## |\z)')
    }
    if (-not $match.Success) { throw "CHANGELOG.md has no '## $ForVersion' section: say what this version changes for users." }
    $match.Groups[1].Value.Trim()
}

function Get-PesterManifest {
    # Pester comes from NuGet, pinned in tests/tools/TestTools.csproj, restored into out/tools: never the Gallery,
    # and never whatever Pester happens to be installed on the machine.
    $tools = Join-Path $out 'tools'
    Invoke-Native dotnet @('restore', (Join-Path $root 'tests/tools/TestTools.csproj'), "-p:RestorePackagesPath=$tools", '-nologo', '-v', 'q')
    $manifest = Get-ChildItem (Join-Path $tools 'pester/*/tools/Pester.psd1') | Select-Object -First 1
    if (-not $manifest) { throw "Pester was not restored into $tools; see the restore output above." }
    $manifest.FullName
}

function Get-ChildPowerShell {
    # The pwsh running this script, wherever it was installed: as a .NET tool it runs as 'dotnet pwsh.dll', so the
    # process path is dotnet's; the executable beside the engine in $PSHOME is right for every kind of install.
    $name = if ($IsWindows) { 'pwsh.exe' } else { 'pwsh' }
    $pwsh = Join-Path $PSHOME $name
    if (-not (Test-Path $pwsh)) { throw "No $name in `$PSHOME ($PSHOME): cannot start a child PowerShell." }
    $pwsh
}

function Invoke-Test {
    # The PostgreSQL store's tests need a real server: a throw-away one for this run, removed whatever happens. Without
    # one (no server tools here) those tests fail and say why; the others still run.
    . (Join-Path $root 'tests/tools/TestPostgres.ps1')
    $postgres = $null
    try { $postgres = Start-TestPostgres } catch { Write-Warning "No test PostgreSQL server: $_" }
    try { Invoke-TestRun } finally { if ($postgres) { Stop-TestPostgres $postgres } }
}

function Invoke-TestRun {
    $pester = Get-PesterManifest
    $results = Join-Path $out 'TestResults'
    New-Item -ItemType Directory -Force -Path $results | Out-Null
    $counts = [ordered]@{}

    # A fresh pwsh, so that the built assemblies are never loaded into this build session (on Windows that would
    # lock them against the next build).
    $script = {
        param($TestPath, $ManifestPath, $ResultPath, $PesterPath, $RenderMode)
        $env:INCREMENTALPS_TEST_MANIFEST = $ManifestPath
        Import-Module $PesterPath
        $configuration = New-PesterConfiguration
        $configuration.Run.Path = $TestPath
        $configuration.Run.PassThru = $true
        $configuration.Filter.Tag = 'CI'
        $configuration.Output.Verbosity = 'Detailed'
        $configuration.Output.RenderMode = $RenderMode
        $configuration.TestResult.Enabled = $true
        $configuration.TestResult.OutputPath = $ResultPath
        $run = Invoke-Pester -Configuration $configuration
        # The last line is read by the caller: one machine-readable count.
        "PESTER-COUNTS $($run.PassedCount) $($run.FailedCount + $run.FailedBlocksCount + $run.FailedContainersCount)"
    }
    $pesterPassed = 0
    $pesterFailed = -1
    & (Get-ChildPowerShell) -NoProfile -NonInteractive -Command $script -args @(
        (Join-Path $root 'tests/IncrementalPS.Tests'),
        (Join-Path $moduleOut 'IncrementalPS.psd1'),
        (Join-Path $results 'IncrementalPS.Tests.xml'),
        $pester,
        # The child's output is always a pipe to this script: colour only when this script's own output is a terminal.
        ([Console]::IsOutputRedirected ? 'Plaintext' : 'Auto')) | ForEach-Object {
            if ("$_" -match '^PESTER-COUNTS (\d+) (\d+)$') { $pesterPassed = [int]$Matches[1]; $pesterFailed = [int]$Matches[2] }
            else { $_ }
        }
    if ($pesterFailed -lt 0) { throw 'The Pester run did not finish (no counts were reported); see its output above.' }
    $counts['pester'] = @($pesterPassed, $pesterFailed)

    if (-not $NoDotnetTest) {
        # dotnet test prints one 'Passed!/Failed!  - Failed: N, Passed: N, …' line per test project: add them up.
        $passed = 0; $failed = 0
        Write-Host "> dotnet test $(Join-Path $root 'IncrementalPS.sln') -c $Configuration"
        & dotnet test (Join-Path $root 'IncrementalPS.sln') -c $Configuration -nologo 2>&1 | ForEach-Object {
            $line = "$_"
            if ($line -match '(Passed|Failed)!\s+-\s+Failed:\s+(\d+),\s+Passed:\s+(\d+)') {
                $failed += [int]$Matches[2]; $passed += [int]$Matches[3]
            }
            $line
        }
        $dotnetExit = $LASTEXITCODE
        if ($dotnetExit -ne 0 -and $failed -eq 0) { $failed = 1 } # a build or host failure counts as a failure
        $counts['xunit'] = @($passed, $failed)
    }

    # One plain 'N passed, N failed' line per runner, and the total last.
    $totalPassed = 0; $totalFailed = 0
    foreach ($runner in $counts.Keys) {
        $p, $f = $counts[$runner]
        Write-Host "${runner}: $p passed, $f failed"
        $totalPassed += $p; $totalFailed += $f
    }
    Write-Host "total: $totalPassed passed, $totalFailed failed"
    if ($totalFailed -ne 0) { throw "$totalFailed test(s) failed." }
    if ($totalPassed -eq 0) { throw 'No test ran.' }
}

function Invoke-Package {
    $packages = Join-Path $out 'packages'
    New-Item -ItemType Directory -Force -Path $packages | Out-Null
    $manifest = Test-ModuleManifest (Join-Path $moduleOut 'IncrementalPS.psd1')
    foreach ($field in 'Tags', 'ProjectUri', 'LicenseUri', 'ReleaseNotes') {
        if (-not $manifest.PrivateData.PSData[$field]) { throw "The manifest has no ${field}: the Gallery shows it to users." }
    }
    if ($manifest.Version -ne [version]$version) { throw "The manifest says $($manifest.Version), the build $version." }

    # PSResourceGet ships with PowerShell 7.4+. A throwaway repository in a local folder: publishing to it writes the
    # .nupkg that the Gallery, an internal NuGet feed or a file share serves.
    if (-not (Get-Command Publish-PSResource -ErrorAction Ignore)) {
        throw 'Packaging needs Publish-PSResource (Microsoft.PowerShell.PSResourceGet, part of PowerShell 7.4+).'
    }
    $repository = 'IncrementalPS-build-' + [guid]::NewGuid().ToString('N')
    Register-PSResourceRepository -Name $repository -Uri $packages -Trusted
    try {
        Remove-Item (Join-Path $packages "IncrementalPS.$version.nupkg") -ErrorAction Ignore
        Publish-PSResource -Path $moduleOut -Repository $repository
    }
    finally { Unregister-PSResourceRepository -Name $repository }

    # incps, the .NET tool, at the same version in the same folder.
    Invoke-Native dotnet @('pack', (Join-Path $root 'src/IncrementalPS.Cli/IncrementalPS.Cli.csproj'), '-c', $Configuration, '-o', $packages, "-p:Version=$version", '-nologo', '-v', 'q')
    Write-Host "Packaged IncrementalPS.$version.nupkg and incps.$version.nupkg in $packages"
}

function Invoke-Help {
    if (-not (Get-Module -ListAvailable platyPS)) {
        throw 'Regenerating help needs PlatyPS: Install-Module platyPS -Scope CurrentUser. The committed en-US files are used otherwise.'
    }
    Import-Module platyPS
    # New-ExternalHelp writes IncrementalPS.dll-Help.xml (from the cmdlet pages) and about_IncrementalPS.help.txt.
    New-ExternalHelp -Path (Join-Path $moduleSource 'docs') -OutputPath (Join-Path $moduleSource 'en-US') -Force | Out-Null
    Write-Host "Help regenerated in $(Join-Path $moduleSource 'en-US'); commit it."
}

foreach ($step in $Task) {
    switch ($step) {
        'Clean' {
            Remove-Item -Recurse -Force (Join-Path $root 'out'), (Join-Path $root 'src/IncrementalPS/bin'), (Join-Path $root 'src/IncrementalPS/obj') -ErrorAction Ignore
        }
        'Build' { Invoke-Build }
        'Test' { Invoke-Build; Invoke-Test }
        'Package' { Invoke-Build; Invoke-Package }
        'Help' { Invoke-Help }
    }
}
