using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace IncrementalPS.Cli.Tests;

/// <summary><c>incps serve</c> on a free loopback port, run as a real process; disposed, it is killed.</summary>
internal sealed class ServeProcess : IDisposable
{
    private ServeProcess(IncpsProcess process, Uri url)
    {
        Process = process;
        Url = url;
    }

    public IncpsProcess Process { get; }

    /// <summary>The page, as incps announced it.</summary>
    public Uri Url { get; }

    /// <summary>
    /// Starts <c>incps serve --listen 127.0.0.1:{free port} {args}</c> and waits until it listens; with
    /// <c>--store {job's store}</c> unless <paramref name="args"/> or $INCREMENTALPS_STORE name another.
    /// </summary>
    public static ServeProcess Start(Job job, IEnumerable<string>? args = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var given = (args ?? Array.Empty<string>()).ToList();
        var store = given.Contains("--store") || environment?.ContainsKey("INCREMENTALPS_STORE") == true ? Array.Empty<string>() : new[] { "--store", job.Store };
        var all = new[] { "serve", "--listen", "127.0.0.1:" + FreePort() }.Concat(store).Concat(given);
        var process = IncpsProcess.Start(job.Directory, job.Store, all, environment: environment);
        process.Input.Close();
        var announced = new Regex(@"at (http://\S+/) ");
        if (!process.WaitUntil(() => announced.IsMatch(process.Stderr), IncpsProcess.DefaultTimeout) || process.HasExited)
        {
            var stderr = process.Stderr;
            process.Dispose();
            throw new InvalidOperationException("incps serve did not start listening:\n" + stderr);
        }

        return new ServeProcess(process, new Uri(announced.Match(process.Stderr).Groups[1].Value));
    }

    /// <summary>A port nobody listens on now (the OS picks it; incps takes it a moment later).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public void Dispose() => Process.Dispose();
}
