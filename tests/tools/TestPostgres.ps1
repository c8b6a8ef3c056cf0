#Requires -Version 7.0
<#
.SYNOPSIS
    Starts and stops a throw-away PostgreSQL server for the tests of the PostgreSQL store.

.DESCRIPTION
    Dot-source this file, then:
        $server = Start-TestPostgres      # initdb into a temp dir, start on 127.0.0.1 and a Unix socket, free port
        try { <tests, with $env:INCREMENTALPS_TEST_PG set> } finally { Stop-TestPostgres $server }
    Or run it as a script to start a server, print its connection string, and keep it until Enter is pressed:
        dotnet pwsh -NoProfile -File tests/tools/TestPostgres.ps1

    initdb and pg_ctl come from PATH or /usr/lib/postgresql/<version>/bin (Debian: apt-get install postgresql).
    PostgreSQL refuses to run as root: as root the server runs as the 'postgres' account (created by that package), or
    as 'incps-test', created here if neither exists. Authentication is trust for that one database user, on loopback
    and the socket only; the server holds no data anyone keeps, and is removed by Stop-TestPostgres.
#>

function Find-PostgresTool([string] $Name) {
    $onPath = Get-Command $Name -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($onPath) { return $onPath.Source }
    # Debian keeps the server tools off PATH; the newest installed version wins.
    $candidates = @(Get-ChildItem -Path '/usr/lib/postgresql/*/bin' -Filter $Name -ErrorAction Ignore |
        Sort-Object { [int]($_.Directory.Parent.Name -replace '\D', '') } -Descending)
    if ($candidates.Count -gt 0) { return $candidates[0].FullName }
    return $null
}

function Get-FreeTcpPort {
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return ([System.Net.IPEndPoint]$listener.LocalEndpoint).Port }
    finally { $listener.Stop() }
}

function Get-ServerAccount {
    if (-not $IsLinux -and -not $IsMacOS) { return $null }
    if ((& id -u) -ne '0') { return $null }
    foreach ($name in 'postgres', 'incps-test') {
        & id -u $name *> $null
        if ($LASTEXITCODE -eq 0) { return $name }
    }
    & useradd --system --no-create-home --shell /usr/sbin/nologin 'incps-test'
    if ($LASTEXITCODE -ne 0) { throw "Could not create the account 'incps-test' to run the test PostgreSQL server as (PostgreSQL refuses root)." }
    return 'incps-test'
}

function Invoke-AsAccount([string] $Account, [string] $Command, [string[]] $Arguments) {
    # Its output is progress chatter: only failures (on stderr, and the exit code) matter.
    if ($Account) { & runuser -u $Account -- $Command @Arguments | Out-Null } else { & $Command @Arguments | Out-Null }
    if ($LASTEXITCODE -ne 0) { throw "$([IO.Path]::GetFileName($Command)) failed with exit code $LASTEXITCODE." }
}

function Start-TestPostgres {
    [CmdletBinding()]
    param()
    $initdb = Find-PostgresTool 'initdb'
    $pgCtl = Find-PostgresTool 'pg_ctl'
    if (-not $initdb -or -not $pgCtl) {
        throw 'PostgreSQL server tools (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. ' +
            'Install them (Debian/Ubuntu: apt-get install postgresql) to run the PostgreSQL store tests.'
    }

    $account = Get-ServerAccount
    $dir = Join-Path ([IO.Path]::GetTempPath()) ("incps-pg-" + [Guid]::NewGuid().ToString('N').Substring(0, 12))
    $data = Join-Path $dir 'data'
    $socket = Join-Path $dir 'socket'
    New-Item -ItemType Directory -Force -Path $data, $socket | Out-Null
    $server = [pscustomobject]@{ Directory = $dir; Data = $data; PgCtl = $pgCtl; Account = $account; ConnectionString = $null }
    try {
        if ($account) { & chown -R "${account}:" $dir; if ($LASTEXITCODE -ne 0) { throw "chown of $dir failed." } }
        $user = 'incps'
        # No fsync: a throw-away server; the tests prove the store's logic, not the disk's.
        Invoke-AsAccount $account $initdb @('-D', $data, '-U', $user, '--auth=trust', '--no-sync', '-E', 'UTF8', '--locale=C')
        # Only the test user, only locally: nothing else can log in with trust.
        Set-Content -Path (Join-Path $data 'pg_hba.conf') -Value @(
            "local all $user trust",
            "host all $user 127.0.0.1/32 trust")
        $port = Get-FreeTcpPort
        $options = "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$socket -c fsync=off -c max_connections=100"
        Invoke-AsAccount $account $pgCtl @('-D', $data, '-l', (Join-Path $dir 'server.log'), '-o', $options, '-w', '-t', '30', 'start')
        $server.ConnectionString = "Host=127.0.0.1;Port=$port;Username=$user;Database=postgres"
        $env:INCREMENTALPS_TEST_PG = $server.ConnectionString
        return $server
    }
    catch {
        $log = Join-Path $dir 'server.log'
        if (Test-Path $log) { Write-Warning "PostgreSQL server log:`n$(Get-Content -Raw $log)" }
        Stop-TestPostgres $server
        throw
    }
}

function Stop-TestPostgres {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    Remove-Item Env:INCREMENTALPS_TEST_PG -ErrorAction Ignore
    if (Test-Path (Join-Path $Server.Data 'postmaster.pid')) {
        # Immediate: nothing in it is kept, and a test may have left connections open.
        if ($Server.Account) { & runuser -u $Server.Account -- $Server.PgCtl -D $Server.Data -m immediate -w stop | Out-Null }
        else { & $Server.PgCtl -D $Server.Data -m immediate -w stop | Out-Null }
        if ($LASTEXITCODE -ne 0) { Write-Warning "pg_ctl stop failed with exit code $LASTEXITCODE; the server in $($Server.Data) may still run." }
    }
    Remove-Item -Recurse -Force $Server.Directory -ErrorAction Ignore
}

if ($MyInvocation.InvocationName -ne '.') {
    $server = Start-TestPostgres
    try {
        Write-Host "INCREMENTALPS_TEST_PG=$($server.ConnectionString)"
        Read-Host 'Server running; press Enter to stop and remove it'
    }
    finally { Stop-TestPostgres $server }
}
