using System;

namespace IncrementalPS.Core;

/// <summary>The first line of a checkpoint file.</summary>
internal sealed class JournalHeader
{
    public JournalHeader(int version, DateTime? created, string? writer, string? name, string? keyHashCheck = null)
    {
        KeyHashCheck = keyHashCheck;
        Version = version;
        Created = created;
        Writer = writer;
        Name = name;
    }

    public int Version { get; }

    public DateTime? Created { get; }

    public string? Writer { get; }

    public string? Name { get; }

    /// <summary>For a checkpoint of hashed keys (version 3), the check value of its secret (<see cref="KeyHasher.Check"/>); otherwise null.</summary>
    public string? KeyHashCheck { get; }
}
