using System.Collections.Generic;

namespace IncrementalPS.Cli;

/// <summary>
/// The lines a shared-store worker has read ahead, with their keys worked out once when read: the keys after the item
/// in hand are what the store may claim with it in one trip.
/// </summary>
internal sealed class ReadAheadWindow
{
    private readonly int _capacity;
    private readonly List<string> _items;
    private readonly List<string> _keys;

    public ReadAheadWindow(int capacity)
    {
        _capacity = capacity;
        _items = new List<string>(capacity);
        _keys = new List<string>(capacity);
    }

    public bool IsFull => _items.Count >= _capacity;

    /// <summary>The keys of the lines read ahead, in input order.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public void Add(string item, string key)
    {
        _items.Add(item);
        _keys.Add(key);
    }

    /// <summary>Takes the oldest line and its key; false when the window is empty.</summary>
    public bool TryTake(out string item, out string key)
    {
        if (_items.Count == 0)
        {
            item = key = string.Empty;
            return false;
        }

        item = _items[0];
        key = _keys[0];
        _items.RemoveAt(0);
        _keys.RemoveAt(0);
        return true;
    }
}
