using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Running.Batching;

/// <summary>
/// Gathers -BatchSize items into batches. Only items still to do go into a batch; one the checkpoint says to skip
/// goes on alone at once (it is skipped without running), so a resumed run's batches are full batches of what is left.
/// </summary>
internal sealed class ItemBatcher
{
    private readonly int _size;
    private readonly Func<string, bool> _isSettled;
    private readonly Action<string, PSObject?> _single;
    private readonly Action<IReadOnlyList<string>, IReadOnlyList<PSObject?>> _run;
    private List<string> _keys;
    private List<PSObject?> _items;

    /// <param name="size">Items per batch.</param>
    /// <param name="isSettled">Whether the run would skip the key (<c>CheckpointSession.IsSettled</c>).</param>
    /// <param name="single">Handles one item on its own: here, an item to be skipped.</param>
    /// <param name="run">Runs a full batch, or the last one.</param>
    public ItemBatcher(int size, Func<string, bool> isSettled, Action<string, PSObject?> single, Action<IReadOnlyList<string>, IReadOnlyList<PSObject?>> run)
    {
        _size = size;
        _isSettled = isSettled;
        _single = single;
        _run = run;
        _keys = new List<string>(size);
        _items = new List<PSObject?>(size);
    }

    public void Add(string key, PSObject? item)
    {
        if (_isSettled(key))
        {
            _single(key, item);
            return;
        }

        _keys.Add(key);
        _items.Add(item);
        if (_keys.Count == _size)
        {
            Flush();
        }
    }

    /// <summary>Runs what is gathered (the end of the input).</summary>
    public void Flush()
    {
        if (_keys.Count == 0)
        {
            return;
        }

        // A batch may still be running on another thread when the next one is gathered: each gets lists of its own.
        var keys = _keys;
        var items = _items;
        _keys = new List<string>(_size);
        _items = new List<PSObject?>(_size);
        _run(keys, items);
    }
}
