using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>
/// The items a front end has read ahead of the one it runs, with their keys worked out once when read: the keys after
/// the item taken are what <see cref="CheckpointSession.ProcessPipelined(string, IReadOnlyList{string}, System.Func{ItemAttempt, string?}, System.Threading.CancellationToken)"/>
/// lets a shared store claim with it in one trip. incps fills it with the lines it has read; Invoke-Incremental -ReadAhead
/// with the pipeline items it holds back.
/// </summary>
internal sealed class ReadAheadWindow<TItem>
{
    private readonly int _capacity;
    private readonly List<TItem> _items;
    private readonly List<string> _keys;

    public ReadAheadWindow(int capacity)
    {
        _capacity = capacity;
        _items = new List<TItem>(capacity);
        _keys = new List<string>(capacity);
    }

    public bool IsFull => _items.Count >= _capacity;

    /// <summary>The keys of the items held, oldest first: after <see cref="TryTake"/>, those after the item taken.</summary>
    public IReadOnlyList<string> Keys => _keys;

    public void Add(TItem item, string key)
    {
        _items.Add(item);
        _keys.Add(key);
    }

    /// <summary>Takes the oldest item and its key; false when the window is empty.</summary>
    public bool TryTake(out TItem item, out string key)
    {
        if (_items.Count == 0)
        {
            item = default!;
            key = string.Empty;
            return false;
        }

        item = _items[0];
        key = _keys[0];
        _items.RemoveAt(0);
        _keys.RemoveAt(0);
        return true;
    }
}
