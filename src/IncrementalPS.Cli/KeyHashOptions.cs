using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>--key-hash</c> with <c>--key-hash-secret-env NAME</c> or <c>--key-hash-secret-file PATH</c>, shared by run, items
/// and reset. The secret is named, never given: a value on a command line is in every process listing and in the
/// shell's history.
/// </summary>
internal sealed class KeyHashOptions
{
    /// <summary>The environment variable read when neither source option is given.</summary>
    public const string DefaultVariable = KeySecret.DefaultVariable;

    private readonly Option<bool> _keyHash = new("--key-hash")
    {
        Description = $"Keys are stored as HMAC-SHA-256 hashes under a secret (from ${DefaultVariable} unless named otherwise), for keys that are personal data. Saved output and errors are not hashed.",
    };

    private readonly Option<string?> _variable = new("--key-hash-secret-env")
    {
        Description = $"The environment variable holding the --key-hash secret (default {DefaultVariable}).",
        HelpName = "name",
    };

    private readonly Option<string?> _file = new("--key-hash-secret-file")
    {
        Description = "The file holding the --key-hash secret (one line ending at its end is not part of it).",
        HelpName = "file",
    };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(_keyHash);
        command.Options.Add(_variable);
        command.Options.Add(_file);
    }

    /// <summary>True when --key-hash was given.</summary>
    public bool IsGiven(ParseResult result) => result.GetValue(_keyHash);

    /// <summary>The hasher asked for, or null without --key-hash.</summary>
    /// <exception cref="UsageException">The options conflict, or the secret cannot be had (the message never quotes it).</exception>
    public KeyHasher? Create(ParseResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var variable = result.GetValue(_variable);
        var file = result.GetValue(_file);
        if (!result.GetValue(_keyHash))
        {
            if (variable is not null || file is not null)
            {
                throw new UsageException("--key-hash-secret-env and --key-hash-secret-file name the secret of --key-hash: add --key-hash, or leave them out.");
            }

            return null;
        }

        if (variable is not null && file is not null)
        {
            throw new UsageException("give --key-hash-secret-env or --key-hash-secret-file, not both.");
        }

        try
        {
            return file is not null ? KeySecret.FromFile(System.IO.Path.GetFullPath(file)) : KeySecret.FromEnvironment(variable ?? DefaultVariable);
        }
        catch (ArgumentException ex)
        {
            throw new UsageException(ex.Message, ex);
        }
    }
}
