using System;
using System.IO;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// Group commit for a journal appender: how far its records are written and how far they are on disk, one flush at a
/// time, none after the close. A flush covers every record written before it starts, so callers waiting together
/// mostly find theirs flushed by another's. Appends never wait for it: an fsync can take tens of milliseconds.
/// </summary>
internal sealed class GroupFlush
{
    private readonly object _gate = new();
    private readonly Action _flush;
    private volatile bool _dirty;
    private long _written;
    private long _durable;
    private bool _closed;

    /// <param name="flush">Makes everything written so far durable (an fsync); called under this object's gate.</param>
    /// <param name="written">Where the records written before this run end.</param>
    public GroupFlush(Action flush, long written)
    {
        _flush = flush;
        _written = written;
        _durable = written;
    }

    /// <summary>The end of the last record appended.</summary>
    public long Written => Volatile.Read(ref _written);

    /// <summary>How many flushes <see cref="MakeDurable"/> and the close made (tests of group commit and of closing).</summary>
    public long DiskFlushes { get; private set; }

    /// <summary>A record ending at <paramref name="end"/> reached the operating system.</summary>
    public void Appended(long end)
    {
        Volatile.Write(ref _written, end);
        _dirty = true;
    }

    /// <summary>Returns once every byte before <paramref name="end"/> is on disk.</summary>
    public void MakeDurable(long end)
    {
        if (Volatile.Read(ref _durable) >= end)
        {
            return;
        }

        lock (_gate)
        {
            if (_durable >= end)
            {
                return;
            }

            if (_closed)
            {
                // The close marks what its last flush made durable; anything past that never reached the disk.
                throw new IOException("The checkpoint file was closed before this result reached the disk: its last flush to disk failed.");
            }

            var upTo = Written;
            _dirty = false;
            _flush();
            Volatile.Write(ref _durable, upTo);
            DiskFlushes++;
        }
    }

    /// <summary>
    /// Flushes records written since the last flush. Cheap when there are none. Safe while another thread appends: a
    /// record appended during the flush is flushed by it or marks the journal dirty again.
    /// </summary>
    public void FlushToDisk()
    {
        if (!_dirty)
        {
            return;
        }

        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _dirty = false;
            _flush();
        }
    }

    /// <summary>
    /// Closes once, under the gate: <paramref name="close"/> is told whether to flush (asked for, and records were
    /// appended since the last flush) and releases the file whatever happens.
    /// </summary>
    public void Close(bool flushToDisk, Action<bool> close)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            var flush = flushToDisk && _dirty;
            close(flush);
            if (flush)
            {
                Volatile.Write(ref _durable, Written);
                DiskFlushes++;
            }
        }
    }
}
