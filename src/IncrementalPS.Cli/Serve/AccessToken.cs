using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace IncrementalPS.Cli;

/// <summary>
/// The shared secret a client of <c>incps serve</c> presents, as <c>Authorization: Bearer &lt;token&gt;</c> or
/// <c>?token=&lt;token&gt;</c>. Compared in constant time over fixed-length hashes, so neither the token's content nor its
/// length leaks through response times.
/// </summary>
internal sealed class AccessToken
{
    /// <summary>The environment variable that may hold the token (kept off the command line, where ps shows it).</summary>
    public const string Variable = "INCREMENTALPS_SERVE_TOKEN";

    /// <summary>Shorter tokens could be guessed by a client that simply tries.</summary>
    public const int MinimumLength = 16;

    private const string BearerPrefix = "Bearer ";

    private readonly byte[] _hash;

    private AccessToken(string token)
    {
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>The token in <paramref name="tokenFile"/> (its first line), else in $INCREMENTALPS_SERVE_TOKEN, else none.</summary>
    /// <exception cref="UsageException">The file cannot be read, or the token is too short.</exception>
    public static AccessToken? Load(string? tokenFile)
    {
        string? token;
        string source;
        if (tokenFile is not null)
        {
            try
            {
                token = File.ReadAllText(tokenFile);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                throw new UsageException($"cannot read the token file '{tokenFile}': {ex.Message}");
            }

            source = $"the token file '{tokenFile}'";
        }
        else
        {
            token = Environment.GetEnvironmentVariable(Variable);
            source = "$" + Variable;
            if (string.IsNullOrEmpty(token))
            {
                return null;
            }
        }

        token = token.Split('\n')[0].Trim();
        if (token.Length < MinimumLength)
        {
            throw new UsageException($"{source} holds a token of {token.Length} characters; use at least {MinimumLength} random ones (for example: openssl rand -hex 32).");
        }

        return new AccessToken(token);
    }

    /// <summary>True when <paramref name="request"/> carries the token.</summary>
    public bool Admits(HttpListenerRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = request.Headers["Authorization"];
        if (header is not null && header.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase))
        {
            return Matches(header[BearerPrefix.Length..].Trim());
        }

        return Matches(request.QueryString["token"]);
    }

    /// <summary>True when <paramref name="presented"/> is the token.</summary>
    public bool Matches(string? presented)
        => presented is not null && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), _hash);
}
