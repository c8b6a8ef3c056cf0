using System;
using System.IO;
using IncrementalPS.Core;

namespace IncrementalPS.Bench.Peers;

/// <summary>
/// The engine as the front ends use it: Start, one <see cref="CheckpointSession.Process"/> per item (an item-started and
/// an item-completed record), Finish. Keep is on so the checkpoint stays for the size and load figures.
/// </summary>
internal sealed class EnginePeer : ICheckpointPeer
{
    /// <summary>The checkpoint's file name inside the run directory.</summary>
    public const string FileName = "bench" + CheckpointStore.FileExtension;

    private static readonly Func<ItemAttempt, string?> s_noWork = _ => null;

    private readonly Durability _durability;
    private CheckpointSession? _session;

    public EnginePeer(Durability durability) => _durability = durability;

    public static CheckpointLocation LocationIn(string directory) => CheckpointLocation.FromPath(Path.Combine(directory, FileName));

    public static RunOptions Options(Durability durability) => new()
    {
        Writer = "IncrementalPS.Bench",
        Durability = durability,
        Keep = true,
    };

    public void Open(string directory) => _session = CheckpointSession.Start(LocationIn(directory), Options(_durability));

    public void Process(string key)
    {
        var outcome = Session.Process(key, s_noWork);
        if (outcome.Kind != ItemOutcomeKind.Completed)
        {
            throw new InvalidOperationException($"The engine reported {outcome.Kind} for {key}; the benchmark expects every item to complete.");
        }
    }

    public void Close()
    {
        Session.Finish();
        Dispose();
    }

    public void Dispose()
    {
        _session?.Dispose();
        _session = null;
    }

    private CheckpointSession Session => _session ?? throw new InvalidOperationException("Open the peer first.");
}
