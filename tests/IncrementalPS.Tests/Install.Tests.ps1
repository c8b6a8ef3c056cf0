BeforeAll {
    . $PSScriptRoot/TestSetup.ps1

    # Two real builds at two versions, packaged as build.ps1 -Task Package does, into one folder: the feed.
    $script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
    $script:Pwsh = Get-ChildPowerShell
    $script:Feed = Join-Path $TestDrive 'feed'
    New-Item -ItemType Directory -Path $script:Feed | Out-Null
    foreach ($version in '0.0.1', '0.0.2') {
        $out = Join-Path $TestDrive "build-$version"
        & $script:Pwsh -NoProfile -NonInteractive -File (Join-Path $script:Root 'build.ps1') -Task Package -Version $version -OutputPath $out *> (Join-Path $TestDrive "build-$version.log")
        if ($LASTEXITCODE -ne 0) { throw "build.ps1 -Task Package -Version $version failed: $(Get-Content -Raw (Join-Path $TestDrive "build-$version.log"))" }
        Copy-Item (Join-Path $out 'packages/*.nupkg') $script:Feed
    }

    function Invoke-UserPowerShell([string] $Script) {
        # A new user's pwsh: its own home (so its own CurrentUser module folder and PSResourceGet repository list),
        # no profile, and nothing of this test session's modules.
        $userHome = Join-Path $TestDrive 'home'
        New-Item -ItemType Directory -Force -Path $userHome | Out-Null
        $file = Join-Path $TestDrive "user-$([guid]::NewGuid().ToString('N')).ps1"
        Set-Content -LiteralPath $file -Value "`$ErrorActionPreference = 'Stop'`n`$env:INCREMENTALPS_HOME = '$(Join-Path $TestDrive 'store')'`n$Script"
        $saved = @{ HOME = $env:HOME; XDG_DATA_HOME = $env:XDG_DATA_HOME; PSModulePath = $env:PSModulePath; USERPROFILE = $env:USERPROFILE; LOCALAPPDATA = $env:LOCALAPPDATA }
        try {
            $env:HOME = $userHome; $env:USERPROFILE = $userHome; $env:LOCALAPPDATA = Join-Path $userHome 'AppData/Local'
            $env:XDG_DATA_HOME = $null; $env:PSModulePath = $null
            $output = & $script:Pwsh -NoProfile -NonInteractive -File $file 2>&1
            $exit = $LASTEXITCODE
        }
        finally {
            foreach ($name in $saved.Keys) { Set-Item "env:$name" $saved[$name] }
        }
        if ($exit -ne 0) { throw "The user's pwsh failed ($exit):`n$($output -join "`n")" }
        $output | ForEach-Object { "$_" }
    }
}

Describe 'Installing the module from a feed' -Tag 'CI' {
    It 'installs with Install-PSResource, imports by name, and resumes the older version''s checkpoint after Update-PSResource' {
        $first = Invoke-UserPowerShell @"
Register-PSResourceRepository -Name feed -Uri '$($script:Feed)' -Trusted
Install-PSResource IncrementalPS -Version 0.0.1 -Repository feed
Import-Module IncrementalPS
"version `$((Get-Module IncrementalPS).Version)"
'a', 'b', 'c' | Invoke-Incremental upgrade -ErrorAction SilentlyContinue { if (`$_ -eq 'c') { throw 'not yet' }; "ran `$_" }
"@
        $first | Should -Contain 'version 0.0.1'
        $first | Should -Contain 'ran a'
        $first | Should -Contain 'ran b'

        $second = Invoke-UserPowerShell @"
Update-PSResource IncrementalPS -Repository feed
Import-Module IncrementalPS
"version `$((Get-Module IncrementalPS).Version)"
"installed `$((Get-InstalledPSResource IncrementalPS | Sort-Object Version).Version -join ',')"
'a', 'b', 'c' | Invoke-Incremental upgrade -RetryFailed { "ran `$_" }
"state `$((Get-CheckpointStatus upgrade -ErrorAction SilentlyContinue).State)"
"@
        $second | Should -Contain 'version 0.0.2'
        $second | Should -Contain 'installed 0.0.1,0.0.2'
        $second | Should -Contain 'ran c'
        $second | Should -Not -Contain 'ran a' -Because 'the newer version resumes the older version''s checkpoint'
        $second | Should -Not -Contain 'ran b'
        $second | Should -Contain 'state ' -Because 'a checkpoint whose items all completed is removed'

        $third = Invoke-UserPowerShell @"
Uninstall-PSResource IncrementalPS
"left `$(@(Get-InstalledPSResource IncrementalPS -ErrorAction SilentlyContinue).Count)"
"@
        $third | Should -Contain 'left 0'
    }

    It 'saves with Save-PSResource to a folder that imports by name, and a newer saved version resumes the older one''s checkpoint' {
        $modules = Join-Path $TestDrive 'saved-modules'
        New-Item -ItemType Directory -Path $modules | Out-Null
        $first = Invoke-UserPowerShell @"
Register-PSResourceRepository -Name saved -Uri '$($script:Feed)' -Trusted
Save-PSResource IncrementalPS -Version 0.0.1 -Repository saved -Path '$modules'
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module IncrementalPS
"version `$((Get-Module IncrementalPS).Version) from `$((Get-Module IncrementalPS).ModuleBase)"
'x', 'y' | Invoke-Incremental saved -ErrorAction SilentlyContinue { if (`$_ -eq 'y') { throw 'not yet' }; "ran `$_" }
"@
        $first | Should -Contain "version 0.0.1 from $(Join-Path $modules 'IncrementalPS/0.0.1')"
        $first | Should -Contain 'ran x'

        $second = Invoke-UserPowerShell @"
Save-PSResource IncrementalPS -Repository saved -Path '$modules'
`$env:PSModulePath = '$modules' + [IO.Path]::PathSeparator + `$env:PSModulePath
Import-Module IncrementalPS
"version `$((Get-Module IncrementalPS).Version) from `$((Get-Module IncrementalPS).ModuleBase)"
'x', 'y' | Invoke-Incremental saved -RetryFailed { "ran `$_" }
"@
        $second | Should -Contain "version 0.0.2 from $(Join-Path $modules 'IncrementalPS/0.0.2')"
        $second | Should -Contain 'ran y'
        $second | Should -Not -Contain 'ran x' -Because 'the newer version resumes the older version''s checkpoint'
    }
}

Describe 'Installing incps from a feed' -Tag 'CI' {
    BeforeAll {
        # dotnet's --global tools go to $DOTNET_CLI_HOME/.dotnet/tools: a home of the test's own.
        $script:SavedCliHome = $env:DOTNET_CLI_HOME
        $env:DOTNET_CLI_HOME = Join-Path $TestDrive 'dotnet-home'
        $env:INCREMENTALPS_HOME = Join-Path $TestDrive 'incps-store'
    }
    AfterAll {
        $env:DOTNET_CLI_HOME = $script:SavedCliHome
    }

    It 'installs into a folder of its own with --tool-path, runs, and updates to the newer version, which reads the older one''s ledger' {
        $tools = Join-Path $TestDrive 'tools'
        $incps = Join-Path $tools ($IsWindows ? 'incps.exe' : 'incps')

        dotnet tool install incps --tool-path $tools --add-source $script:Feed --version 0.0.1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        (& $incps --version) | Should -Match '^0\.0\.1\b'
        'one', 'two' | & $incps run tool-upgrade --keep -- echo | Should -Be 'one', 'two'
        $LASTEXITCODE | Should -Be 0

        dotnet tool update incps --tool-path $tools --add-source $script:Feed | Out-Null
        $LASTEXITCODE | Should -Be 0
        (& $incps --version) | Should -Match '^0\.0\.2\b'
        'one', 'two', 'three' | & $incps run tool-upgrade --keep -- echo | Should -Be 'three' -Because 'the ledger made by 0.0.1 is read by 0.0.2'
        $LASTEXITCODE | Should -Be 0
    }

    It 'installs, updates and uninstalls globally, as the README shows' {
        $incps = Join-Path $env:DOTNET_CLI_HOME ".dotnet/tools/$($IsWindows ? 'incps.exe' : 'incps')"

        dotnet tool install --global incps --add-source $script:Feed --version 0.0.1 | Out-Null
        $LASTEXITCODE | Should -Be 0
        (& $incps --version) | Should -Match '^0\.0\.1\b'

        dotnet tool update --global incps --add-source $script:Feed | Out-Null
        $LASTEXITCODE | Should -Be 0
        (& $incps --version) | Should -Match '^0\.0\.2\b'

        dotnet tool uninstall --global incps | Out-Null
        $LASTEXITCODE | Should -Be 0
        Test-Path $incps | Should -BeFalse
    }
}

Describe 'One version everywhere' -Tag 'CI' {
    It 'stamps the version into the manifest, both builds of the assemblies and incps' {
        $module = Join-Path $TestDrive 'build-0.0.2/IncrementalPS/0.0.2'
        (Import-PowerShellDataFile (Join-Path $module 'IncrementalPS.psd1')).ModuleVersion | Should -Be '0.0.2'
        foreach ($dll in 'core/IncrementalPS.dll', 'core/dependencies/IncrementalPS.Core.dll', 'desktop/IncrementalPS.dll', 'desktop/IncrementalPS.Core.dll') {
            [Reflection.AssemblyName]::GetAssemblyName((Join-Path $module $dll)).Version | Should -Be ([version]'0.0.2.0') -Because $dll
        }
        Test-Path (Join-Path $script:Feed 'incps.0.0.2.nupkg') | Should -BeTrue
    }

    It 'carries the version''s CHANGELOG section as the manifest''s release notes' {
        $notes = (Import-PowerShellDataFile (Join-Path $TestDrive 'build-0.0.2/IncrementalPS/0.0.2/IncrementalPS.psd1')).PrivateData.PSData.ReleaseNotes
        $changelog = Get-Content -Raw (Join-Path $script:Root 'CHANGELOG.md')
        $notes | Should -Match 'Checkpoint format: writes version'
        # Compared as text: a wildcard pattern would read the changelog's backticks and brackets as escapes and classes.
        $changelog.Contains($notes.Split("`n")[0].TrimEnd("`r")) | Should -BeTrue -Because $notes.Split("`n")[0]
    }
}
