namespace IncrementalPS.Core;

/// <summary>
/// Decides whether a secret (or none) fits a checkpoint before anything is read by key or written: a run with the
/// wrong secret would find no key done and run everything again, and a run without one would add clear keys to a
/// checkpoint meant to hold none.
/// </summary>
internal static class KeyHashCheck
{
    /// <summary>
    /// Throws unless <paramref name="hasher"/> fits the checkpoint whose recorded check value is
    /// <paramref name="recorded"/> (null: clear keys).
    /// </summary>
    /// <exception cref="CheckpointKeyHashException">It does not fit.</exception>
    public static void Verify(string? recorded, KeyHasher? hasher, string display)
    {
        if (recorded is null && hasher is null)
        {
            return;
        }

        if (recorded is null)
        {
            throw new CheckpointKeyHashException(
                display,
                $"The checkpoint '{display}' stores its keys in clear text: it was not created with key hashing, so a key-hash secret does not apply to it. " +
                "Nothing was changed. Leave out -KeyHash (--key-hash), or start a private checkpoint under another name (or remove this one first).");
        }

        if (hasher is null)
        {
            throw new CheckpointKeyHashException(
                display,
                $"The checkpoint '{display}' stores its keys as keyed hashes (it was created with -KeyHash), so it needs the secret it was created with. " +
                $"Nothing was changed. Give -KeyHash (incps: --key-hash), with the secret in ${KeySecret.DefaultVariable} or named by -KeySecretVariable or -KeySecretPath " +
                "(incps: --key-hash-secret-env or --key-hash-secret-file).");
        }

        if (!string.Equals(recorded, hasher.Check, System.StringComparison.Ordinal))
        {
            throw new CheckpointKeyHashException(
                display,
                $"The key-hash secret given is not the one the checkpoint '{display}' was created with, so its keys would not match. Nothing was changed. " +
                "Give the secret it was created with; if that secret is lost, the checkpoint cannot be resumed: remove it to start over.");
        }
    }
}
