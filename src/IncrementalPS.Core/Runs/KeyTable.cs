using System;
using System.Collections.Generic;
#if NET
using System.Runtime.InteropServices;
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>The latest state of every key, with counts kept up to date on each change (no scans to count).</summary>
internal sealed class KeyTable
{
    private readonly Dictionary<string, KeyEntry> _entries;

    public KeyTable(int capacity = 0)
    {
        _entries = new Dictionary<string, KeyEntry>(capacity, StringComparer.Ordinal);
    }

    public int Count => _entries.Count;

    public long Completed { get; private set; }

    public long Failed { get; private set; }

    public long InFlight { get; private set; }

    public IEnumerable<KeyValuePair<string, KeyEntry>> Entries => _entries;

    // Called once per record of a load (millions in a fresh process): optimized from the first call, not after
    // tiered compilation's unoptimized and instrumented passes, which were a third of a cold 1M-item load.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public bool TryGet(string key, out KeyEntry entry) => _entries.TryGetValue(key, out entry);

    /// <summary>Sets a key's entry, adjusting the counts for the state it leaves and the one it enters.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public void Set(string key, in KeyEntry entry)
    {
#if NET
        ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_entries, key, out var existed);
        if (existed)
        {
            Adjust(slot.Status, -1);
        }

        slot = entry;
#else
        if (_entries.TryGetValue(key, out var old))
        {
            Adjust(old.Status, -1);
        }

        _entries[key] = entry;
#endif
        Adjust(entry.Status, +1);
    }

    public bool Remove(string key)
    {
        if (!_entries.TryGetValue(key, out var old))
        {
            return false;
        }

        Adjust(old.Status, -1);
        _entries.Remove(key);
        return true;
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private void Adjust(KeyStatus status, int delta)
    {
        switch (status)
        {
            case KeyStatus.Completed:
                Completed += delta;
                break;
            case KeyStatus.Failed:
                Failed += delta;
                break;
            default:
                InFlight += delta;
                break;
        }
    }
}
