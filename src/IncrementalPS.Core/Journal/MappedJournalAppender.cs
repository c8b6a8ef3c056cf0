using System;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Threading;
#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Appends records by copying them into a shared memory mapping of the journal's tail: no system call per record. A
/// store into a shared mapping is in the operating system's page cache at once, so it survives the process being
/// killed exactly as a write(2) that returned does, and readers in other processes see it as they see written data.
/// Used at Normal durability, where records reach the disk by the commit policy's fsync about once a second.
/// </summary>
/// <remarks>
/// The file is grown up to a megabyte at a time, its new space allocated before it is mapped
/// (<see cref="MappedFileSupport.Reserve"/>), so between the last record and the end of the file there are NUL bytes
/// while a run writes it or after it was killed. Readers treat a NUL tail as no record (docs/checkpoint-format.md);
/// closing cuts it off, and so does the next run's open. Windows renames over no mapped file and truncates none:
/// the mapping is closed before the file is cut or swapped (<see cref="Dispose"/> comes first in both).
/// </remarks>
internal sealed class MappedJournalAppender : IJournalAppender
{
    // The mapped tail grows by the journal's size, between these bounds: a short run reserves (and a close cuts off)
    // little, a long one remaps once a megabyte.
    private const long MinGrowth = 64 << 10;
    private const long MaxGrowth = 1 << 20;
    private const long PrefaultWindow = 64 << 10;
    private static readonly long PageSize = Environment.SystemPageSize;
    private static readonly bool s_windows = RuntimeInformation.IsOSPlatform(OSPlatform.Windows);

    private readonly FileStream _stream;
    // Flushes and the close, one at a time. An fsync can take as long as writing a second of records to disk (about
    // 100 ms at 1M items): appends never wait for it, not even to grow the mapping.
    private readonly GroupFlush _flushes;
    // The mapping's replacement, against Windows's flush of the view it replaces.
    private readonly object _mapGate = new();
    private MemoryMappedFile? _map;
    private MemoryMappedViewAccessor? _view;
    // Where the mapping's first page (file offset _mappingStart) is in memory, while _view holds a reference on its
    // handle, and how far its pages are faulted in for writing.
    private IntPtr _mappingAddress;
    private long _mappingStart;
    private long _prefaultedTo;
    private long _capacity;
    // Set when the disk had no room to reserve: the rest of the run appends with write(2).
    private bool _writeOnly;

    private MappedJournalAppender(FileStream stream, long validLength)
    {
        _stream = stream;
        _flushes = new GroupFlush(FlushMapped, validLength);
        _capacity = validLength;
    }

    public long Position => _flushes.Written;

    public long WrittenEnd => _flushes.Written;

    public long DiskFlushes => _flushes.DiskFlushes;

    /// <summary>Tests only: called as a flush to disk starts (the close's too), under the flush gate (a slow fsync on demand).</summary>
    internal Action? FlushStarting { get; set; }

    /// <summary>
    /// Opens <paramref name="path"/> for appending at <paramref name="validLength"/> through a mapping where that is
    /// safe (<see cref="MappedFileSupport.IsSafe"/>), with write(2) elsewhere; anything after
    /// <paramref name="validLength"/> is cut off first.
    /// </summary>
    public static IJournalAppender Open(string path, long validLength)
    {
        if (!MappedFileSupport.IsSafe(path))
        {
            return JournalAppender.Open(path, validLength);
        }

        // Read access too: a mapping for writing needs it. FileShare.Read lets status readers in.
        var stream = new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.Read | FileShare.Delete, bufferSize: 1);
        try
        {
            JournalAppender.CutTo(stream, path, validLength);
            var appender = new MappedJournalAppender(stream, validLength);
            appender.TryGrow(validLength);
            return appender;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The file system refused the mapping: this run writes records with write(2), from the same valid end.
            stream.Dispose();
            return JournalAppender.Open(path, validLength);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public long Append(ArraySegment<byte> record)
    {
        var offset = _flushes.Written;
        var end = offset + record.Count;
        if ((end > _capacity || _view is null) && !TryGrow(end))
        {
            return AppendWithWrite(record);
        }

        if (end > _prefaultedTo)
        {
            PrefaultAhead(end);
        }

        // Marshal.Copy to an address taken once per mapping: SafeBuffer.WriteArray takes and releases its handle and
        // checks its bounds on every call, a third of the append's cost.
        Marshal.Copy(record.Array!, record.Offset, _mappingAddress + (int)(offset - _mappingStart), record.Count);

        // A reader in another process must never see a record before the whole of the one ahead of it (that would
        // read as damage mid-file).
        StoreOrder.Fence();
        _flushes.Appended(end);
        return offset;
    }

    public void MakeDurable(long end) => _flushes.MakeDurable(end);

    public void FlushToDisk() => _flushes.FlushToDisk();

    public void Dispose() => Close(flushToDisk: true);

    public void CloseForDeletion() => Close(flushToDisk: false);

    /// <summary>
    /// Maps a larger tail: space for the record ending at <paramref name="end"/> and room to grow. False when the disk
    /// has no room for it: from then on records are written with write(2), which fills the disk to its last byte and
    /// reports a full disk as an error of the append that meets it, as <see cref="JournalAppender"/> does.
    /// </summary>
    private bool TryGrow(long end)
    {
        if (_writeOnly)
        {
            return false;
        }

        lock (_mapGate)
        {
            Unmap();
            var growth = Math.Min(Math.Max(end, MinGrowth), MaxGrowth);
            var capacity = ((end + growth) / MinGrowth + 1) * MinGrowth;
            try
            {
                MappedFileSupport.Reserve(_stream, capacity);
            }
            catch (IOException)
            {
                // Write mode only once the file ends at the last record (a failure here fails this append, as a
                // full disk fails a write: nothing is written anywhere else).
                _stream.SetLength(_flushes.Written);
                _writeOnly = true;
                return false;
            }

            // Built in locals and published whole, so that a failure leaves no half-made mapping behind (on Windows
            // one would keep the file from being cut or renamed).
            var map = MemoryMappedFile.CreateFromFile(_stream, null, capacity, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            MemoryMappedViewAccessor? view = null;
            var added = false;
            try
            {
                view = map.CreateViewAccessor(_flushes.Written, capacity - _flushes.Written, MemoryMappedFileAccess.ReadWrite);
                view.SafeMemoryMappedViewHandle.DangerousAddRef(ref added);
            }
            catch
            {
                view?.Dispose();
                map.Dispose();
                throw;
            }

            _map = map;
            _view = view;
            _capacity = capacity;
            _mappingAddress = view.SafeMemoryMappedViewHandle.DangerousGetHandle();
            _mappingStart = _flushes.Written - view.PointerOffset;
            _prefaultedTo = _mappingStart;
            return true;
        }
    }

    /// <summary>
    /// Faults in the pages from the one <paramref name="end"/> is in to 64 KB further, in one call: a page fault per
    /// 4 KB cost 8% of the engine's time. Only a window ahead, not the whole reservation: faulting a page in for
    /// writing dirties it, so the next fsync writes it (zeros) and the close frees it.
    /// </summary>
    private void PrefaultAhead(long end)
    {
        var from = Math.Max(_prefaultedTo, end - ((end - _mappingStart) % PageSize));
        var to = Math.Min(_capacity, from + PrefaultWindow);
        if (to > from)
        {
            MappedFileSupport.Prefault(_mappingAddress + (int)(from - _mappingStart), to - from);
        }

        _prefaultedTo = Math.Max(to, end);
    }

    private long AppendWithWrite(ArraySegment<byte> record)
    {
        // At the end of the last record, whatever an earlier write that failed partway left behind.
        var offset = _flushes.Written;
        _stream.Position = offset;
        JournalAppender.Write(_stream, record);
        _flushes.Appended(offset + record.Count);
        return offset;
    }

    /// <summary>
    /// Under the flush gate. Linux's fsync writes the file's pages dirtied through a mapping too; Windows must be told
    /// (at the close the view is gone, flushed as it was unmapped).
    /// </summary>
    private void FlushMapped()
    {
        FlushStarting?.Invoke();
        if (s_windows)
        {
            lock (_mapGate)
            {
                _view?.Flush();
            }
        }

        _stream.Flush(flushToDisk: true);
    }

    private void Unmap()
    {
        if (_view is null)
        {
            return;
        }

        try
        {
            if (s_windows)
            {
                // Windows documents FlushViewOfFile, then FlushFileBuffers, for data written through a view: the
                // view is flushed while it exists.
                _view.Flush();
            }
        }
        finally
        {
            // Unpublished first: a failure below must not lead to a second release.
            var view = _view;
            var map = _map!;
            _view = null;
            _map = null;
            _mappingAddress = IntPtr.Zero;
            var handle = view.SafeMemoryMappedViewHandle;
            handle.DangerousRelease();

            // Unmapped before the accessor's Dispose, which would otherwise msync (MS_SYNC) the whole view: on Linux
            // the fsync of the commit policy and of the close covers pages written through a mapping; Windows
            // flushed above.
            handle.Dispose();
            view.Dispose();
            map.Dispose();
        }
    }

    private void TryCutReservedSpace()
    {
        try
        {
            _stream.SetLength(_flushes.Written);
        }
        catch (IOException)
        {
            // Left as NUL bytes for the next open to cut (docs/checkpoint-format.md).
        }
    }

    private void Close(bool flushToDisk) => _flushes.Close(flushToDisk, flush =>
    {
        try
        {
            lock (_mapGate)
            {
                Unmap();
            }

            // The reserved space past the last record goes before the flush: the flush then writes none of its
            // pages (faulted in ahead, they are dirty zeros) and makes the cut durable with the records, where a cut
            // after it was a second change to the file. The cut leaves every record in place, so a kill or a power
            // failure between the two finds what it would have found before the cut. Readers take reserved space for
            // no record, and the next open cuts it too: a close that cannot cut it is no failure.
            TryCutReservedSpace();
            if (flush)
            {
                FlushMapped();
            }
        }
        finally
        {
            _stream.Dispose();
        }
    });
}
