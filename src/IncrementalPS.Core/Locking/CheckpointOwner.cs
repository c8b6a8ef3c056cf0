using System;
using System.Globalization;

namespace IncrementalPS.Core;

/// <summary>The run that holds (or last held) a checkpoint.</summary>
public sealed class CheckpointOwner
{
    /// <summary>Creates an owner description.</summary>
    public CheckpointOwner(int processId, string hostName, DateTimeOffset startedAt, string? writer)
    {
        ProcessId = processId;
        HostName = hostName;
        StartedAt = startedAt;
        Writer = writer;
    }

    /// <summary>The holder's process id.</summary>
    public int ProcessId { get; }

    /// <summary>The machine the holder runs on.</summary>
    public string HostName { get; }

    /// <summary>When the holder took the checkpoint.</summary>
    public DateTimeOffset StartedAt { get; }

    /// <summary>The program that holds it, for example "IncrementalPS 0.1.0" or "incps 0.1.0".</summary>
    public string? Writer { get; }

    /// <summary>An owner describing the current process.</summary>
    public static CheckpointOwner ForCurrentProcess(string? writer)
    {
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new CheckpointOwner(process.Id, Environment.MachineName, DateTimeOffset.UtcNow, writer);
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var started = StartedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var writer = string.IsNullOrEmpty(Writer) ? string.Empty : $", {Writer}";
        return $"process {ProcessId} on {HostName}{writer}, started {started}";
    }
}
