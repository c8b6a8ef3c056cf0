using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>The offsets a compaction gives the key table and run history, applied once the new file is in place.</summary>
internal sealed class CompactionRemap
{
    private readonly List<KeyValuePair<string, KeyEntry>> _moves;
    private readonly long _started;
    private readonly long _ended;
    private readonly long _finished;

    public CompactionRemap(List<KeyValuePair<string, KeyEntry>> moves, long started, long ended, long finished)
    {
        _moves = moves;
        _started = started;
        _ended = ended;
        _finished = finished;
    }

    public void Apply(KeyTable keys, RunHistory runs)
    {
        foreach (var move in _moves)
        {
            keys.Set(move.Key, move.Value);
        }

        runs.StartedOffset = _started;
        runs.EndedOffset = _ended;
        runs.FinishedOffset = _finished;
    }
}
