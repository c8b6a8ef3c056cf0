using System;

namespace IncrementalPS.Core;

/// <summary>A live worker of a shared checkpoint: where it runs, since when, its last heartbeat and what it did.</summary>
internal sealed record SharedWorker(int Run, string Host, int ProcessId, DateTime Since, DateTime LastHeartbeat, long Done);
