using System;
using System.IO;
using System.Threading;

#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Reads a stream line by line as raw UTF-8 bytes with each line's offset, without decoding: the loader only turns
/// keys into strings. A line is valid until the next call.
/// </summary>
internal sealed class JournalLineReader
{
    private const int InitialBufferSize = 1 << 20;
    private const int MaxRereads = 3;

    private readonly Stream _stream;
    private byte[] _buffer = new byte[InitialBufferSize];
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private long _rereadAt = -1;
    private int _rereads;

    public JournalLineReader(Stream stream, long startOffset = 0)
    {
        _stream = stream;
        _bufferOffset = startOffset;
    }

    /// <summary>
    /// Reads the next line. <paramref name="terminated"/> is false for a last line with no '\n' (possibly torn).
    /// The returned line excludes the '\n'.
    /// </summary>
    // A load calls this once per record, millions of times in one go: compile it optimized from the start
    // instead of running unoptimized code until tiered compilation catches up.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public bool TryReadLine(out long offset, out ReadOnlySpan<byte> line, out bool terminated)
    {
        while (true)
        {
            var available = new ReadOnlySpan<byte>(_buffer, _start, _end - _start);
            var newline = available.IndexOf((byte)'\n');
            if (newline >= 0)
            {
                offset = _bufferOffset + _start;
                line = available.Slice(0, newline);
                if (line.IndexOf((byte)0) >= 0 && _stream.CanSeek && TryReread(offset))
                {
                    // NUL bytes before an end of line are stale when a mapped writer is live: this read took the page
                    // where a record now is before it was written, and the next page after (MappedJournalAppender).
                    // Read again, a few times a millisecond apart (a writer preempted while copying a record); NULs
                    // that are still there are damage.
                    continue;
                }

                terminated = true;
                _start += newline + 1;
                return true;
            }

            if (_eof)
            {
                if (available.Length == 0)
                {
                    offset = _bufferOffset + _start;
                    line = default;
                    terminated = false;
                    return false;
                }

                offset = _bufferOffset + _start;
                line = available;
                terminated = false;
                _start = _end;
                return true;
            }

            Fill();
        }
    }

    private bool TryReread(long offset)
    {
        if (offset != _rereadAt)
        {
            _rereadAt = offset;
            _rereads = 0;
        }
        else if (_rereads >= MaxRereads)
        {
            return false;
        }
        else
        {
            Thread.Sleep(1);
        }

        _rereads++;
        _stream.Seek(offset, SeekOrigin.Begin);
        _bufferOffset = offset;
        _start = 0;
        _end = 0;
        _eof = false;
        return true;
    }

    private void Fill()
    {
        // Move the unread part to the front; grow when a single line fills the buffer (large saved output).
        var unread = _end - _start;
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, unread);
            _bufferOffset += _start;
            _start = 0;
            _end = unread;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, _buffer.Length * 2);
        }

        var read = _stream.Read(_buffer, _end, _buffer.Length - _end);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }
}
