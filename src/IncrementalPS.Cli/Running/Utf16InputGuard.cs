using System;
using System.IO;

namespace IncrementalPS.Cli;

/// <summary>
/// Standard input as it is, except that input starting with a UTF-16 byte-order mark is refused with a message:
/// Windows PowerShell 5.1 writes UTF-16 with <c>&gt;</c> and <c>Out-File</c>, and decoded as UTF-8 every line of such a
/// file would be a different, wrong key (NULs between the letters). The check happens at the first read, on the input
/// thread, so that a slow or interactive input never blocks the start.
/// </summary>
internal sealed class Utf16InputGuard : Stream
{
    private readonly Stream _inner;
    private byte[]? _head;
    private int _headOffset;
    private bool _checked;

    public Utf16InputGuard(Stream inner)
    {
        _inner = inner;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    /// <exception cref="IOException">The input starts with a UTF-16 byte-order mark (FF FE or FE FF).</exception>
    public override int Read(byte[] buffer, int offset, int count)
    {
        if (!_checked)
        {
            _checked = true;
            _head = ReadHead();
        }

        if (_head is not null && _headOffset < _head.Length)
        {
            var n = Math.Min(count, _head.Length - _headOffset);
            Array.Copy(_head, _headOffset, buffer, offset, n);
            _headOffset += n;
            return n;
        }

        return _inner.Read(buffer, offset, count);
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private byte[] ReadHead()
    {
        var head = new byte[2];
        var length = 0;
        while (length < head.Length && _inner.Read(head, length, head.Length - length) is var n && n > 0)
        {
            length += n;
        }

        if (length == 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)))
        {
            throw new IOException(
                "the input is UTF-16 (it starts with a UTF-16 byte-order mark), as Windows PowerShell 5.1 writes with '>' and Out-File; " +
                "incps reads UTF-8. Write the list with Out-File -Encoding utf8 (or Set-Content -Encoding UTF8), or use PowerShell 7.");
        }

        Array.Resize(ref head, length);
        return head;
    }
}
