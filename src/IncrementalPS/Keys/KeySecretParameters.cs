using System;
using System.Management.Automation;
using IncrementalPS.Core;

namespace IncrementalPS.Keys;

/// <summary>
/// -KeyHash, -KeySecretVariable and -KeySecretPath, as the cmdlets that take them share them. The secret is named, never
/// given: a value on a command line sits in the history file and in every process listing.
/// </summary>
internal static class KeySecretParameters
{
    /// <summary>The environment variable -KeyHash reads when neither -KeySecretVariable nor -KeySecretPath is given.</summary>
    public const string DefaultVariable = KeySecret.DefaultVariable;

    /// <summary>The hasher asked for, or null without -KeyHash.</summary>
    /// <exception cref="ArgumentException">The parameters conflict, or the secret cannot be had (the message says why, never what it is).</exception>
    public static KeyHasher? Create(bool keyHash, string? variable, string? path, PathIntrinsics paths)
    {
        if (!keyHash)
        {
            if (variable is not null || path is not null)
            {
                throw new ArgumentException("-KeySecretVariable and -KeySecretPath name the secret of -KeyHash: add -KeyHash, or leave them out.");
            }

            return null;
        }

        if (variable is not null && path is not null)
        {
            throw new ArgumentException("Give -KeySecretVariable or -KeySecretPath, not both: the key-hash secret comes from one place.");
        }

        return path is not null
            ? KeySecret.FromFile(paths.GetUnresolvedProviderPathFromPSPath(path))
            : KeySecret.FromEnvironment(variable ?? DefaultVariable);
    }
}
