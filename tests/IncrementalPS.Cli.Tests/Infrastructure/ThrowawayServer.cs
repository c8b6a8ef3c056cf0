using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// A PostgreSQL server of the test's own, for tests that stop and start it (the shared one of
/// INCREMENTALPS_TEST_PG serves other tests meanwhile). Same recipe as tests/tools/TestPostgres.ps1: initdb into a
/// temporary directory as a non-root account, trust for one local user, a free port on loopback.
/// </summary>
internal sealed class ThrowawayServer : IDisposable
{
    private readonly string _directory;
    private readonly string _data;
    private readonly string _pgCtl;
    private readonly string? _account;

    public ThrowawayServer()
    {
        var bin = FindBin() ?? throw new InvalidOperationException(
            "PostgreSQL server tools (initdb, pg_ctl) were not found on PATH or in /usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql).");
        _pgCtl = Path.Combine(bin, "pg_ctl");
        _account = Environment.UserName == "root" ? "postgres" : null;
        _directory = Path.Combine(Path.GetTempPath(), "incps-pg-" + Guid.NewGuid().ToString("N").Substring(0, 12));
        _data = Path.Combine(_directory, "data");
        var socket = Path.Combine(_directory, "socket");
        Directory.CreateDirectory(_data);
        Directory.CreateDirectory(socket);
        if (_account is not null)
        {
            Run("chown", "-R", _account + ":", _directory);
        }

        Port = FreePort();
        RunAs(Path.Combine(bin, "initdb"), "-D", _data, "-U", "incps", "--auth=trust", "--no-sync", "-E", "UTF8", "--locale=C");
        File.WriteAllText(Path.Combine(_data, "pg_hba.conf"), "local all incps trust\nhost all incps 127.0.0.1/32 trust\n");
        File.AppendAllText(
            Path.Combine(_data, "postgresql.conf"),
            $"\nlisten_addresses = '127.0.0.1'\nport = {Port}\nunix_socket_directories = '{socket}'\nfsync = off\n");
        Start();
        ConnectionString = $"Host=127.0.0.1;Port={Port};Username=incps;Database=postgres;Pooling=false";
    }

    public int Port { get; }

    public string ConnectionString { get; }

    public void Start() => RunAs(_pgCtl, "-D", _data, "-l", Path.Combine(_directory, "server.log"), "-w", "-t", "30", "start");

    /// <summary>Stops it as a crash would (no shutdown checkpoint, connections cut).</summary>
    public void Stop() => RunAs(_pgCtl, "-D", _data, "-m", "immediate", "-w", "stop");

    public void Dispose()
    {
        if (File.Exists(Path.Combine(_data, "postmaster.pid")))
        {
            Stop();
        }

        Directory.Delete(_directory, recursive: true);
    }

    private void RunAs(string program, params string[] args)
    {
        if (_account is null)
        {
            Run(program, args);
        }
        else
        {
            Run("runuser", new[] { "-u", _account, "--", program }.Concat(args).ToArray());
        }
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed with exit code {process.ExitCode}:\n{stderr}\n{stdout.Result}");
        }
    }

    private static string? FindBin()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
            .FirstOrDefault(d => d.Length > 0 && File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")));
        if (onPath is not null)
        {
            return onPath;
        }

        const string Debian = "/usr/lib/postgresql";
        return Directory.Exists(Debian)
            ? Directory.GetDirectories(Debian)
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
