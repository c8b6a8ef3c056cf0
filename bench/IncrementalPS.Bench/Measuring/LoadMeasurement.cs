using System;
using System.Diagnostics;
using IncrementalPS.Bench.Peers;
using IncrementalPS.Core;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// Runs in a child process of its own: loads an existing checkpoint as a resuming run (or a status query) would,
/// twice — cold, then warm — with the memory the loaded state holds.
/// </summary>
internal static class LoadMeasurement
{
    public const string EngineStatus = "engine-status";
    public const string EngineStart = "engine-start";
    public const string Sqlite = "sqlite";
    public const string Joblog = "joblog";

    public static readonly string[] Kinds = [EngineStatus, EngineStart, Sqlite, Joblog];

    /// <summary>The peer whose run leaves the checkpoint each kind loads.</summary>
    public static string FixturePeer(string kind) => kind switch
    {
        EngineStatus or EngineStart => PeerCatalog.EngineNormal,
        Sqlite => PeerCatalog.SqliteNormal,
        Joblog => PeerCatalog.Joblog,
        _ => throw new ArgumentException($"Unknown load kind '{kind}'. Known: {string.Join(", ", Kinds)}.", nameof(kind)),
    };

    public static LoadResult Run(string kind, string directory)
    {
        FixturePeer(kind); // rejects an unknown kind before anything is timed
        GC.Collect();
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        ProcessStats.TryResetPeak();

        var cold = Stopwatch.StartNew();
        var (completed, state) = Load(kind, directory);
        cold.Stop();

        var heapAfter = GC.GetTotalMemory(forceFullCollection: true);
        var peak = ProcessStats.PeakWorkingSet();
        var release = Stopwatch.StartNew();
        Release(state);
        release.Stop();
        GC.KeepAlive(state);
        state = null;

        var warm = Stopwatch.StartNew();
        var (_, again) = Load(kind, directory);
        warm.Stop();
        Release(again);

        return new LoadResult
        {
            Kind = kind,
            Completed = completed,
            FileBytes = DirectorySize.Of(directory),
            ColdMs = cold.Elapsed.TotalMilliseconds,
            WarmMs = warm.Elapsed.TotalMilliseconds,
            ReleaseMs = release.Elapsed.TotalMilliseconds,
            RetainedBytes = heapAfter - heapBefore,
            PeakWorkingSetBytes = peak,
        };
    }

    /// <summary>
    /// Ends what a load started. The engine's run is finished normally: a resumed run has appended records the live
    /// state does not need, so Finish compacts the whole checkpoint, and its time is the time to compact.
    /// </summary>
    private static void Release(object state)
    {
        if (state is CheckpointSession session)
        {
            session.Finish();
        }

        (state as IDisposable)?.Dispose();
    }

    private static (long Completed, object State) Load(string kind, string directory)
    {
        switch (kind)
        {
            case EngineStatus:
                var status = CheckpointInspector.ReadStatus(EnginePeer.LocationIn(directory));
                return (status.Completed, status);
            case EngineStart:
                var session = CheckpointSession.Start(EnginePeer.LocationIn(directory), EnginePeer.Options(Durability.Normal));
                return (session.Resume.Completed, session);
            case Sqlite:
                var rows = SqlitePeer.LoadCompleted(directory);
                return (rows.Count, rows);
            default:
                var lines = JoblogPeer.LoadCompleted(directory);
                return (lines.Count, lines);
        }
    }
}
