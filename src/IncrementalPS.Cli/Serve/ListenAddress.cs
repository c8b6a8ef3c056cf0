using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;

namespace IncrementalPS.Cli;

/// <summary>
/// Where <c>incps serve</c> listens: <c>host:port</c>. Loopback unless the user names another address; the HttpListener
/// prefixes it makes also decide which Host headers are answered, so a page on another site cannot reach a loopback
/// server by pointing its own name at 127.0.0.1 (DNS rebinding): only 127.0.0.1, [::1] and localhost are answered there.
/// </summary>
internal sealed class ListenAddress
{
    /// <summary>The default: loopback only.</summary>
    public const string Default = "127.0.0.1:8470";

    private ListenAddress(string host, int port, bool isLoopback, IReadOnlyList<string> prefixes)
    {
        Host = host;
        Port = port;
        IsLoopback = isLoopback;
        Prefixes = prefixes;
    }

    /// <summary>The host as given (an IPv6 address in brackets).</summary>
    public string Host { get; }

    public int Port { get; }

    /// <summary>True when only this machine can connect.</summary>
    public bool IsLoopback { get; }

    /// <summary>The HttpListener prefixes.</summary>
    public IReadOnlyList<string> Prefixes { get; }

    /// <summary>The address to open in a browser.</summary>
    public string Url => IsWildcard(Host) ? $"http://{Dns.GetHostName()}:{Port}/" : $"http://{Host}:{Port}/";

    /// <summary>Parses <c>host:port</c>, <c>[v6]:port</c> or <c>0.0.0.0:port</c> (every interface).</summary>
    /// <exception cref="UsageException">Not of that form.</exception>
    public static ListenAddress Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var colon = text.LastIndexOf(':');
        var host = colon > 0 ? text[..colon] : string.Empty;
        var portText = colon > 0 ? text[(colon + 1)..] : string.Empty;
        if (host.Length == 0 || host.Contains(':', StringComparison.Ordinal) && !(host.StartsWith('[') && host.EndsWith(']'))
            || !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new UsageException($"--listen takes host:port (127.0.0.1:8470, [::1]:8470, 0.0.0.0:8470 for every interface), not '{text}'.");
        }

        if (IsWildcard(host))
        {
            return new ListenAddress(host, port, false, new[] { $"http://+:{port}/" });
        }

        var bare = host.Trim('[', ']');
        var loopback = string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase)
            || IPAddress.TryParse(bare, out var ip) && IPAddress.IsLoopback(ip);
        if (!loopback)
        {
            return new ListenAddress(host, port, false, new[] { $"http://{host}:{port}/" });
        }

        if (OperatingSystem.IsWindows())
        {
            // http.sys lets a user who is not an administrator listen on "localhost" only; an IP address prefix needs
            // a URL reservation. (Not tried on Windows: no Windows machine was available.)
            return new ListenAddress("localhost", port, true, new[] { $"http://localhost:{port}/" });
        }

        // A browser may name this machine either way; both reach the same socket.
        var prefixes = new List<string> { $"http://{host}:{port}/" };
        if (!string.Equals(bare, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            prefixes.Add($"http://localhost:{port}/");
        }

        return new ListenAddress(host, port, true, prefixes);
    }

    private static bool IsWildcard(string host) => host is "0.0.0.0" or "*" or "+" or "[::]";
}
