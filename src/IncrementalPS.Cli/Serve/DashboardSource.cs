using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// Reads the store at most once per interval however many browsers poll, and keeps the rate history. The interval
/// is a second, or four times as long as the last read took (a store of huge checkpoints is read less often, so the
/// server never spends most of its time, or the disk's, reading), at most <see cref="MaxInterval"/>.
/// </summary>
internal sealed class DashboardSource
{
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan MaxInterval = TimeSpan.FromSeconds(30);

    private readonly IServedStore _store;
    private readonly RateHistory _history = new();
    private readonly FailedItemsCache _failed = new();
    private readonly object _gate = new();
    private TimeSpan _interval = MinInterval;
    private long _readAt;
    private ServedSnapshot? _current;

    public DashboardSource(IServedStore store)
    {
        _store = store;
    }

    /// <summary>
    /// The latest read, made now when the last one is older than the interval. While a read is under way the others
    /// get the last one at once: a store that is slow to answer (a server timing out) never holds up the page.
    /// </summary>
    public ServedSnapshot Current()
    {
        var current = Volatile.Read(ref _current);
        if (current is not null && !Due())
        {
            return current;
        }

        if (current is not null)
        {
            if (!Monitor.TryEnter(_gate))
            {
                return current;
            }
        }
        else
        {
            // Nothing to show yet: wait for the first read, and share it.
            Monitor.Enter(_gate);
        }

        try
        {
            if (_current is null || Due())
            {
                var watch = Stopwatch.StartNew();
                var read = Read();
                _interval = TimeSpan.FromTicks(Math.Clamp(watch.Elapsed.Ticks * 4, MinInterval.Ticks, MaxInterval.Ticks));
                Volatile.Write(ref _readAt, Stopwatch.GetTimestamp());
                Volatile.Write(ref _current, read);
            }

            return _current;
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }

    private bool Due() => Stopwatch.GetElapsedTime(Volatile.Read(ref _readAt)) >= _interval;

    private ServedSnapshot Read()
    {
        List<StatusJson> rows;
        string? error = null;
        try
        {
            rows = _store.ReadStatuses();
        }
        catch (CheckpointException ex)
        {
            rows = new List<StatusJson>();
            error = ex.Message;
        }

        var now = DateTime.UtcNow;
        var time = new DateTimeOffset(now).ToUnixTimeMilliseconds();
        var views = new List<CheckpointViewJson>(rows.Count);
        foreach (var row in rows)
        {
            _history.Add(row.Name, new RateSampleJson { Time = time, Rate = row.Rate ?? 0, Done = (row.Completed ?? 0) + (row.Failed ?? 0) });
            views.Add(new CheckpointViewJson
            {
                Status = row,
                History = _history.Of(row.Name),
                FailedItems = _failed.Get(_store, row),
            });
        }

        if (error is null)
        {
            // A store that failed to read keeps its history: the checkpoints are likely still there.
            var names = rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
            _history.Retain(names);
            _failed.Retain(names);
        }

        var dashboard = new DashboardJson { ReadAt = now, Store = _store.Display, Error = error, Checkpoints = views };
        return new ServedSnapshot(
            error is null ? JsonOutput.ToWebUtf8(rows, c => c.ListStatusJson) : null,
            JsonOutput.ToWebUtf8(dashboard, c => c.DashboardJson),
            error is null ? new UTF8Encoding(false).GetBytes(StatusMetrics.Format(rows)) : null,
            error);
    }
}
