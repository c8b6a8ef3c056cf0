using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Core;

/// <summary>
/// The keys whose leases a worker holds: claimed and not yet recorded, or claimed ahead. The heartbeat renews them by key
/// (through the primary key, so its cost does not grow with the items the worker finished), from its own thread.
/// </summary>
internal sealed class HeldKeys
{
    private readonly object _gate = new();
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);

    public void Add(string key)
    {
        lock (_gate)
        {
            _keys.Add(key);
        }
    }

    public void Remove(string key)
    {
        lock (_gate)
        {
            _keys.Remove(key);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _keys.Clear();
        }
    }

    /// <summary>The keys held now, in no particular order.</summary>
    public string[] Snapshot()
    {
        lock (_gate)
        {
            return _keys.ToArray();
        }
    }
}
