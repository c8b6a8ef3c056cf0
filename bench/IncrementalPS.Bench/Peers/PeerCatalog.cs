using System;
using System.Collections.Generic;
using IncrementalPS.Core;

namespace IncrementalPS.Bench.Peers;

/// <summary>Every peer by name, with the durability it gives, so each is compared with the engine level that matches.</summary>
internal static class PeerCatalog
{
    public const string Floor = "floor";
    public const string EngineNormal = "engine-normal";
    public const string EngineFull = "engine-full";
    public const string SqliteNormal = "sqlite-normal";
    public const string SqliteFull = "sqlite-full";
    public const string Joblog = "joblog";
    public const string JoblogFsync = "joblog-fsync";
    public const string NaiveJson = "naive-json";
    public const string NaiveJsonFsync = "naive-json-fsync";

    /// <summary>What each peer promises after Process returns.</summary>
    public static readonly IReadOnlyDictionary<string, string> Guarantees = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [Floor] = "nothing is recorded",
        [EngineNormal] = "each record copied into the journal's mapped tail (in the OS's page cache at once, as a write() is); fsync at least once a second",
        [EngineFull] = "fsync per record",
        [SqliteNormal] = "WAL, synchronous=NORMAL: commit write()n to the WAL; fsync at WAL checkpoints",
        [SqliteFull] = "WAL, synchronous=FULL: WAL fsynced per commit",
        [Joblog] = "one line per item, flushed to the OS (no fsync)",
        [JoblogFsync] = "one line per item, fsync per line",
        [NaiveJson] = "whole state to a temp file, rename (no fsync)",
        [NaiveJsonFsync] = "whole state to a temp file, fsync, rename (directory not fsynced)",
    };

    public static ICheckpointPeer Create(string name) => name switch
    {
        Floor => new FloorPeer(),
        EngineNormal => new EnginePeer(Durability.Normal),
        EngineFull => new EnginePeer(Durability.Full),
        SqliteNormal => new SqlitePeer(full: false),
        SqliteFull => new SqlitePeer(full: true),
        Joblog => new JoblogPeer(fsync: false),
        JoblogFsync => new JoblogPeer(fsync: true),
        NaiveJson => new NaiveJsonPeer(fsync: false),
        NaiveJsonFsync => new NaiveJsonPeer(fsync: true),
        _ => throw new ArgumentException($"Unknown peer '{name}'. Known peers: {string.Join(", ", Guarantees.Keys)}.", nameof(name)),
    };
}
