using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace IncrementalPS.Cli;

/// <summary>
/// The one HTML page of <c>incps serve</c> (StatusPage.html, embedded): static, with its CSS and script inline. It
/// holds no checkpoint data; its script fetches the JSON and puts every value in as text (textContent), never as
/// markup, so a key or an error cannot become HTML. The Content-Security-Policy allows exactly the inline style and
/// script by hash, and fetches from this server only: an injected script would not run even if one got in.
/// </summary>
internal sealed class StatusPage
{
    private const string ResourceName = "IncrementalPS.Cli.Serve.StatusPage.html";

    private StatusPage(byte[] html, string contentSecurityPolicy)
    {
        Html = html;
        ContentSecurityPolicy = contentSecurityPolicy;
    }

    /// <summary>The page, UTF-8.</summary>
    public byte[] Html { get; }

    /// <summary>The policy to send with it.</summary>
    public string ContentSecurityPolicy { get; }

    /// <summary>Loads the page and computes its policy.</summary>
    public static StatusPage Load()
    {
        using var stream = typeof(StatusPage).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The status page ({ResourceName}) is not embedded in incps.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var html = reader.ReadToEnd();
        var policy = "default-src 'none'; "
            + $"style-src {Hash(html, "style")}; script-src {Hash(html, "script")}; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        return new StatusPage(new UTF8Encoding(false).GetBytes(html), policy);
    }

    private static string Hash(string html, string element)
    {
        var match = Regex.Match(html, $"<{element}>(.*?)</{element}>", RegexOptions.Singleline);
        if (!match.Success)
        {
            throw new InvalidOperationException($"The status page has no <{element}>.");
        }

        return $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(match.Groups[1].Value)))}'";
    }
}
