using System;
using System.Collections.Generic;
#if NET
using System.Runtime.InteropServices;
#endif
using System.Runtime.CompilerServices;

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

    // Inlined into the (AggressiveOptimization) per-record callers, so it runs optimized from the first record, not
    // in tiered compilation's unoptimized and instrumented code; an AggressiveOptimization method is never inlined.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGet(string key, out KeyEntry entry) => _entries.TryGetValue(key, out entry);

    /// <summary>Sets a key's entry, adjusting the counts for the state it leaves and the one it enters.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
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
