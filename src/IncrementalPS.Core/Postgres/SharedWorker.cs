using System;

namespace IncrementalPS.Core;

/// <summary>A live worker of a checkpoint in a PostgreSQL store: where it runs, since when, its last heartbeat and what it did.</summary>
public sealed class SharedWorker
{
    internal SharedWorker(int run, string host, int processId, DateTimeOffset since, DateTimeOffset lastHeartbeat, string? writer, long done)
    {
        Run = run;
        Host = host;
        ProcessId = processId;
        Since = since;
        LastHeartbeat = lastHeartbeat;
        Writer = writer;
        Done = done;
    }

    /// <summary>The worker's run number in the checkpoint.</summary>
    public int Run { get; }

    /// <summary>The machine it runs on.</summary>
    public string Host { get; }

    /// <summary>Its process id on that machine.</summary>
    public int ProcessId { get; }

    /// <summary>When it joined the checkpoint.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>Its last heartbeat.</summary>
    public DateTimeOffset LastHeartbeat { get; }

    /// <summary>The program, for example "incps 0.2.0" or "IncrementalPS 0.2.0".</summary>
    public string? Writer { get; }

    /// <summary>Items it completed or failed that no worker touched since.</summary>
    public long Done { get; }

    /// <inheritdoc />
    public override string ToString() => $"run {Run}: process {ProcessId} on {Host}";
}
