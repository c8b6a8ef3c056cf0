using System;
using System.Collections.Generic;
using System.Diagnostics;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// The failed items shown per checkpoint. Listing them reads the checkpoint's whole index, so they are read again only
/// when the failed count or the run changes, or after 15 s (an item that failed again with another
/// error keeps the count). Not thread-safe: its owner serialises calls.
/// </summary>
internal sealed class FailedItemsCache
{
    /// <summary>A page's worth: the count is in the status; the items' full list is <c>incps items --state failed</c>.</summary>
    public const int Shown = 50;

    private static readonly TimeSpan s_maxAge = TimeSpan.FromSeconds(15);

    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>The newest <see cref="Shown"/> failed items of <paramref name="row"/>'s checkpoint, newest first.</summary>
    public List<ItemJson> Get(IServedStore store, StatusJson row)
    {
        if (row.Failed is not > 0)
        {
            _entries.Remove(row.Name);
            return new List<ItemJson>();
        }

        var version = $"{row.Failed}/{row.Runs}/{row.Path}";
        if (_entries.TryGetValue(row.Name, out var entry) && entry.Version == version && entry.Age.Elapsed < s_maxAge)
        {
            return entry.Items;
        }

        List<ItemJson> items;
        try
        {
            items = store.ReadFailedItems(row);
        }
        catch (CheckpointException ex)
        {
            // The row's counts still show; say on the console why the list is missing, once per change.
            if (entry?.Version != version)
            {
                CliConsole.Warning($"cannot list the failed items of '{row.Name}': {ex.Message}");
            }

            items = new List<ItemJson>();
        }

        var newest = items.GetRange(Math.Max(0, items.Count - Shown), Math.Min(Shown, items.Count));
        newest.Reverse();
        _entries[row.Name] = new Entry(version, newest, Stopwatch.StartNew());
        return newest;
    }

    /// <summary>Forgets the checkpoints not in <paramref name="names"/>.</summary>
    public void Retain(ISet<string> names)
    {
        foreach (var name in new List<string>(_entries.Keys))
        {
            if (!names.Contains(name))
            {
                _entries.Remove(name);
            }
        }
    }

    private sealed record Entry(string Version, List<ItemJson> Items, Stopwatch Age);
}
