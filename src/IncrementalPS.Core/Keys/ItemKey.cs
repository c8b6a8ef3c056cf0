using System;
using System.IO;
using System.Security.Cryptography;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// Helpers that turn an item's identity into a stable key. Keys are compared ordinally, byte for byte:
/// the same item must give the same key in every run.
/// </summary>
internal static class ItemKey
{
    /// <summary>Keys longer than this are shortened by <see cref="Bounded"/> by default.</summary>
    public const int DefaultMaxLength = 256;

    private const int HashHexLength = 16;

    /// <summary>
    /// Keeps a key readable but bounded: a key up to <paramref name="maxLength"/> characters is returned as it is;
    /// a longer one becomes its first characters, '~', and 16 hex digits of the SHA-256 of the whole key,
    /// so two long keys with the same beginning stay distinct.
    /// </summary>
    public static string Bounded(string key, int maxLength = DefaultMaxLength)
    {
        if (key is null)
        {
            throw new ArgumentNullException(nameof(key));
        }

        if (maxLength < HashHexLength + 2)
        {
            throw new ArgumentOutOfRangeException(nameof(maxLength), maxLength, $"A bounded key needs at least {HashHexLength + 2} characters.");
        }

        if (key.Length <= maxLength)
        {
            return key;
        }

        var prefixLength = maxLength - HashHexLength - 1;
        // Never split a surrogate pair: the prefix must stay valid UTF-16 to be written as JSON.
        if (char.IsHighSurrogate(key[prefixLength - 1]))
        {
            prefixLength--;
        }

        return key.Substring(0, prefixLength) + "~" + Hash(key).Substring(0, HashHexLength);
    }

    /// <summary>The key of a file or directory: its full path.</summary>
    public static string ForPath(string path) => Path.GetFullPath(path);

    /// <summary>Lower-case hex SHA-256 of the text's UTF-8 bytes.</summary>
    public static string Hash(string text)
    {
        using var sha = SHA256.Create();
        var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
        var sb = new StringBuilder(digest.Length * 2);
        foreach (var b in digest)
        {
            sb.Append(b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture));
        }

        return sb.ToString();
    }

    /// <summary>
    /// A short fingerprint of the code that processes items (a script block's text, a command line), recorded with
    /// each run so that a resume with different code can be noticed.
    /// </summary>
    public static string Fingerprint(string code) => "sha256:" + Hash(code.Replace("\r\n", "\n").Trim()).Substring(0, 32);
}
