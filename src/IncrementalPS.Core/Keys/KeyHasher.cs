using System;
using System.Security.Cryptography;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// Turns an item's key into what a private checkpoint stores instead (RunOptions.KeyHash): HMAC-SHA-256 of the key's
/// UTF-8 bytes under a secret, as 64 lowercase hex digits. The same key and secret always give the same text, so skips
/// and resets by key work; without the secret nobody can tell which key a hash stands for, or test a guess.
/// </summary>
/// <remarks>Thread-safe. The secret is kept only inside the HMAC instance; nothing here ever formats it.</remarks>
internal sealed class KeyHasher : IDisposable
{
    /// <summary>What the checkpoint records as its hashing scheme.</summary>
    public const string Algorithm = "hmac-sha256";

    /// <summary>The shortest secret accepted: below this a secret can be guessed by trying them all.</summary>
    public const int MinimumSecretBytes = 16;

    // Hashed once with the secret: the result goes into the checkpoint, so that a run with another secret is told
    // apart from the right one (it would otherwise find no key done and run everything again, silently).
    private static readonly byte[] s_checkLabel = Encoding.UTF8.GetBytes("IncrementalPS key-hash check v1");

    private readonly HMACSHA256 _hmac;
    private readonly object _gate = new();

    public KeyHasher(byte[] secret)
    {
        if (secret is null)
        {
            throw new ArgumentNullException(nameof(secret));
        }

        if (secret.Length < MinimumSecretBytes)
        {
            throw new ArgumentException(
                $"The key-hash secret is {secret.Length} byte(s) long; it must be at least {MinimumSecretBytes}. Use a random one, for example 32 bytes as Base64.",
                nameof(secret));
        }

        _hmac = new HMACSHA256(secret);
        Check = Hex(Compute(s_checkLabel));
    }

    /// <summary>The value recorded with a hashed checkpoint: it tells whether a later run's secret is the same.</summary>
    public string Check { get; }

    /// <summary>The stored form of <paramref name="key"/>.</summary>
    public string Hash(string key)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        return Hex(Compute(Encoding.UTF8.GetBytes(key)));
    }

    public void Dispose() => _hmac.Dispose();

    private byte[] Compute(byte[] data)
    {
        lock (_gate)
        {
            return _hmac.ComputeHash(data);
        }
    }

    private static string Hex(byte[] bytes)
    {
        var text = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            text.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
