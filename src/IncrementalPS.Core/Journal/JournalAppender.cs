using System;
using System.IO;
#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Appends records to the checkpoint file with one write(2) each (unbuffered), so a killed process loses nothing it
/// has appended. Used at Full durability, where each record is fsynced anyway, and wherever the journal cannot be
/// mapped (<see cref="MappedJournalAppender"/>).
/// </summary>
internal sealed class JournalAppender : IJournalAppender
{
    private readonly FileStream _stream;
    private readonly GroupFlush _flushes;

    private JournalAppender(FileStream stream, long validLength)
    {
        _stream = stream;
        _flushes = new GroupFlush(() => _stream.Flush(flushToDisk: true), validLength);
    }

    /// <summary>Where the next record will start.</summary>
    public long Position => _stream.Position;

    /// <summary>
    /// Opens <paramref name="path"/> for appending at <paramref name="validLength"/>, first cutting off anything after it
    /// (a record torn by a crash), so the next record starts on a clean line.
    /// </summary>
    public static JournalAppender Open(string path, long validLength)
    {
        // bufferSize 1 = no FileStream buffer: every Write is a write(2). FileShare.Read lets status readers in.
        var stream = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 1);
        try
        {
            CutTo(stream, path, validLength);
            stream.Seek(validLength, SeekOrigin.Begin);
            return new JournalAppender(stream, validLength);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Cuts off anything after <paramref name="validLength"/> (a record torn by a crash, or the unused space a mapped
    /// journal had reserved), durably, so that the next record starts on a clean line.
    /// </summary>
    internal static void CutTo(FileStream stream, string path, long validLength)
    {
        if (stream.Length < validLength)
        {
            // Only a torn tail is ever cut; growing the file would pad it with NULs and put records past them.
            throw new InvalidOperationException(
                $"The checkpoint '{path}' is {stream.Length} bytes, shorter than the {validLength} bytes this run expected: it was changed under the run.");
        }

        if (stream.Length != validLength)
        {
            stream.SetLength(validLength);
            stream.Flush(flushToDisk: true);
        }
    }

    /// <summary>Appends one record (one write to the operating system); returns the offset it starts at.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public long Append(ArraySegment<byte> record)
    {
        var offset = _stream.Position;
        Write(_stream, record);
        _flushes.Appended(offset + record.Count);
        return offset;
    }

    /// <summary>One write(2) of a record, with a file too large for it reported as the I/O failure it is.</summary>
    internal static void Write(FileStream stream, ArraySegment<byte> record)
    {
        try
        {
            stream.Write(record.Array!, record.Offset, record.Count);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            // .NET reports EFBIG (past the process's or the file system's file size limit) this way: an I/O failure.
            throw new IOException("The checkpoint file has reached the largest size allowed (a file size limit, ulimit -f, or the file system's).", ex);
        }
    }

    public long DiskFlushes => _flushes.DiskFlushes;

    public long WrittenEnd => _flushes.Written;

    public void MakeDurable(long end) => _flushes.MakeDurable(end);

    public void FlushToDisk() => _flushes.FlushToDisk();

    public void Dispose() => Close(flushToDisk: true);

    /// <summary>
    /// Closes a journal that is deleted next (every item completed): an fsync of its records would only make durable
    /// what is about to be removed. At Full durability they are on disk already; at Normal they reached the OS.
    /// </summary>
    public void CloseForDeletion() => Close(flushToDisk: false);

    private void Close(bool flushToDisk) => _flushes.Close(flushToDisk, flush =>
    {
        try
        {
            // Nothing appended since the last fsync (at Full durability, always): nothing to flush.
            if (flush)
            {
                _stream.Flush(flushToDisk: true);
            }
        }
        finally
        {
            _stream.Dispose();
        }
    });
}
