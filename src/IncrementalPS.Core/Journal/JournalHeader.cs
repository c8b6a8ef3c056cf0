using System;

namespace IncrementalPS.Core;

/// <summary>The first line of a checkpoint file.</summary>
internal sealed class JournalHeader
{
    public JournalHeader(int version, DateTime? created, string? writer, string? name)
    {
        Version = version;
        Created = created;
        Writer = writer;
        Name = name;
    }

    public int Version { get; }

    public DateTime? Created { get; }

    public string? Writer { get; }

    public string? Name { get; }
}
