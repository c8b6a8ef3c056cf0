using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Store;

/// <summary>
/// With -ReadAhead: the pipeline items a worker on a PostgreSQL store holds back, with their keys, so that the store
/// claims the keys after the item it runs in the same trip (as incps run does with the lines it read ahead).
/// </summary>
internal sealed class ReadAheadItems
{
    private readonly int _capacity;
    private readonly Queue<(string Key, PSObject? Item)> _items;
    private readonly List<string> _keys;

    public ReadAheadItems(int capacity)
    {
        _capacity = capacity;
        _items = new Queue<(string, PSObject?)>(capacity + 1);
        _keys = new List<string>(capacity + 1);
    }

    /// <summary>More items are held than the window keeps: the oldest is due to run.</summary>
    public bool IsOverFull => _items.Count > _capacity;

    /// <summary>The keys of the items held, oldest first: after <see cref="TryTake"/>, those after the item taken.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public void Add(string key, PSObject? item)
    {
        _items.Enqueue((key, item));
        _keys.Add(key);
    }

    /// <summary>Takes the oldest item held; false when none is.</summary>
    public bool TryTake(out string key, out PSObject? item)
    {
        if (_items.Count == 0)
        {
            key = string.Empty;
            item = null;
            return false;
        }

        (key, item) = _items.Dequeue();
        _keys.RemoveAt(0);
        return true;
    }
}
