using System;

namespace IncrementalPS.Bench.Peers;

/// <summary>No checkpoint at all: the cost of calling the work, the floor every other peer is measured against.</summary>
internal sealed class FloorPeer : ICheckpointPeer
{
    private static readonly Func<string, string?> s_work = _ => null;

    private long _calls;

    public void Open(string directory) => _calls = 0;

    public void Process(string key)
    {
        // Counted so the call cannot be optimised away.
        if (s_work(key) is null)
        {
            _calls++;
        }
    }

    public void Close()
    {
        if (_calls < 0)
        {
            throw new InvalidOperationException("unreachable");
        }
    }

    public void Dispose()
    {
    }
}
