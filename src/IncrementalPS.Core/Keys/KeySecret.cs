using System;
using System.IO;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// Where the secret of a private checkpoint comes from: an environment variable or a file the user names. Never a
/// command-line value: command lines are visible to every user of the machine (ps, /proc, process listings) and end up
/// in shell history. No message here quotes the secret.
/// </summary>
internal static class KeySecret
{
    /// <summary>The environment variable both front ends read when the user names no other source.</summary>
    public const string DefaultVariable = "INCREMENTALPS_KEY_SECRET";

    /// <summary>A hasher keyed with the UTF-8 bytes of environment variable <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The variable is not set, empty, or too short.</exception>
    public static KeyHasher FromEnvironment(string name)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException("Name the environment variable that holds the key-hash secret.");
        }

        var value = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException(
                $"The environment variable '{name}', which should hold the key-hash secret, is not set or is empty. Set it to the secret the checkpoint was (or is to be) created with.");
        }

        return Create(Encoding.UTF8.GetBytes(value), $"the environment variable '{name}'");
    }

    /// <summary>
    /// A hasher keyed with the bytes of file <paramref name="path"/>, less one line ending at its end (an editor or
    /// <c>echo</c> adds one; the same secret in a variable has none).
    /// </summary>
    /// <exception cref="ArgumentException">The file cannot be read, is empty, or the secret is too short.</exception>
    public static KeyHasher FromFile(string path)
    {
        if (string.IsNullOrEmpty(path))
        {
            throw new ArgumentException("Name the file that holds the key-hash secret.");
        }

        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new ArgumentException($"The key-hash secret file '{path}' cannot be read: {ex.Message}", ex);
        }

        var length = bytes.Length;
        if (length > 0 && bytes[length - 1] == (byte)'\n')
        {
            length--;
            if (length > 0 && bytes[length - 1] == (byte)'\r')
            {
                length--;
            }
        }

        var secret = new byte[length];
        Array.Copy(bytes, secret, length);
        Array.Clear(bytes, 0, bytes.Length);
        return Create(secret, $"the file '{path}'");
    }

    private static KeyHasher Create(byte[] secret, string source)
    {
        try
        {
            if (secret.Length < KeyHasher.MinimumSecretBytes)
            {
                throw new ArgumentException(
                    $"The key-hash secret in {source} is {secret.Length} byte(s) long; it must be at least {KeyHasher.MinimumSecretBytes}. " +
                    "Use a random one, for example: [Convert]::ToBase64String([Security.Cryptography.RandomNumberGenerator]::GetBytes(32)).");
            }

            return new KeyHasher(secret);
        }
        finally
        {
            Array.Clear(secret, 0, secret.Length);
        }
    }
}
