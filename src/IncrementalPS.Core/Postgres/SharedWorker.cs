using System;

namespace IncrementalPS.Core;

/// <summary>A live worker of a shared checkpoint: where it runs, since when, its last heartbeat and what it did.</summary>
internal sealed class SharedWorker
{
    public SharedWorker(int run, string host, int processId, DateTime since, DateTime lastHeartbeat, long done)
    {
        Run = run;
        Host = host;
        ProcessId = processId;
        Since = since;
        LastHeartbeat = lastHeartbeat;
        Done = done;
    }

    public int Run { get; }

    public string Host { get; }

    public int ProcessId { get; }

    public DateTime Since { get; }

    public DateTime LastHeartbeat { get; }

    /// <summary>Items it completed or failed that no worker touched since.</summary>
    public long Done { get; }
}
