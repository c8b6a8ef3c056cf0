using System;
using System.IO;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>
/// A file as a reader sees it while a mapped writer appends: its reads return NUL bytes for a range the writer filled
/// between the reader copying one page and the next, until the reader has gone back (sought) <c>staleSeeks</c> times;
/// after that they return the bytes as they are.
/// </summary>
internal sealed class StalePageStream : MemoryStream
{
    private readonly long _staleFrom;
    private readonly long _staleTo;
    private readonly int _staleSeeks;
    private int _seeks;

    public StalePageStream(byte[] bytes, long staleFrom, long staleTo, int staleSeeks = 0)
        : base(bytes, writable: false)
    {
        _staleFrom = staleFrom;
        _staleTo = staleTo;
        _staleSeeks = staleSeeks;
    }

    /// <summary>How many reads saw the stale range.</summary>
    public int StaleReads { get; private set; }

    public override long Seek(long offset, SeekOrigin loc)
    {
        _seeks++;
        return base.Seek(offset, loc);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var start = Position;
        var read = base.Read(buffer, offset, count);
        if (_seeks <= _staleSeeks && read > 0 && start < _staleTo && start + read > _staleFrom)
        {
            StaleReads++;
            for (var p = Math.Max(start, _staleFrom); p < Math.Min(start + read, _staleTo); p++)
            {
                buffer[offset + (p - start)] = 0;
            }
        }

        return read;
    }
}
