using System;
using System.Collections.Generic;
using System.IO;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;
using System.Threading;
#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Marks which items are in flight without a write(2) per item: a small file beside the checkpoint
/// (<c>&lt;file&gt;.inflight</c>), mapped into memory. A store into a shared file mapping lands in the operating
/// system's page cache at once, so it survives the process being killed, exactly like a write that reached the OS,
/// at the cost of a memory copy. The next owner reads the slots to learn what was in flight when a run died.
/// Not flushed to disk: after a power failure an in-flight mark may be lost, and that item simply runs again.
/// </summary>
/// <remarks>
/// Layout: a 16-byte header (<c>IPSINFL1</c>, slot count, slot size), then fixed-size slots:
/// int32 key length in bytes (0 = free), int32 run, int32 attempt, int32 deaths, then the key in UTF-8.
/// The length is stored last when marking and first when clearing, so a slot is never read half-made.
/// Keys too long for a slot are not marked here; the session records those with an item-started line instead.
/// Not thread-safe: the session serializes access.
/// </remarks>
internal sealed class InFlightSlots : IDisposable
{
    public const int SlotSize = 1024;
    public const int SlotHeaderSize = 16;
    public const int MaxKeyBytes = SlotSize - SlotHeaderSize;
    private const int FileHeaderSize = 16;
    private const int DefaultSlotCount = 64;
    private static readonly byte[] s_magic = Encoding.ASCII.GetBytes("IPSINFL1");

    private readonly FileStream _file;
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly Stack<int> _free = new();
    private readonly byte[] _keyBuffer = new byte[MaxKeyBytes];
    // The key each slot holds, null when free: the owner finds its marks without a dictionary per item.
    private readonly string?[] _markedKeys;
    private readonly int _slotCount;
    private readonly IntPtr _slots;
    private bool _disposed;

    private InFlightSlots(FileStream file, MemoryMappedFile map, MemoryMappedViewAccessor view, int slotCount)
    {
        _file = file;
        _map = map;
        _view = view;
        _slotCount = slotCount;
        _markedKeys = new string?[slotCount];

        // Writes go to the address of the first slot, taken once: the accessor's Write takes and releases its handle
        // and checks its bounds on every call, seven times per item. The reference taken here is released by Dispose.
        var handle = view.SafeMemoryMappedViewHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        _slots = handle.DangerousGetHandle() + (int)view.PointerOffset + FileHeaderSize;
        for (var i = slotCount - 1; i >= 0; i--)
        {
            _free.Push(i);
        }
    }

    /// <summary>
    /// Creates a fresh slots file at <paramref name="path"/> for the run that now owns the checkpoint.
    /// Read the previous owner's slots with <see cref="ReadAll"/> first.
    /// </summary>
    public static InFlightSlots Create(string path, int slotCount = DefaultSlotCount)
    {
        var length = FileHeaderSize + ((long)slotCount * SlotSize);
        // Not FileMode.Create, which truncates even a new, empty file: ext4 (auto_da_alloc) then writes the file's pages
        // to disk as it is closed, and removing it at the end of the run frees them again, about 0.1 ms per run.
        var file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        try
        {
            if (file.Length != 0)
            {
                // A file a killed run left (anyone else's was refused before: CheckpointSidecars): its marks are read
                // already, and none may outlive this start.
                file.SetLength(0);
            }

            file.SetLength(length);
            var header = new byte[FileHeaderSize];
            Buffer.BlockCopy(s_magic, 0, header, 0, s_magic.Length);
            BitConverter.GetBytes(slotCount).CopyTo(header, 8);
            BitConverter.GetBytes(SlotSize).CopyTo(header, 12);
            file.Write(header, 0, header.Length);
            var map = MemoryMappedFile.CreateFromFile(file, null, length, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: true);
            var view = map.CreateViewAccessor(0, length, MemoryMappedFileAccess.ReadWrite);
            return new InFlightSlots(file, map, view, slotCount);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>True when <paramref name="content"/>, the start of a file, is the header <see cref="Create"/> writes.</summary>
    public static bool HasHeader(ReadOnlySpan<byte> content)
        => content.Length >= s_magic.Length && content.Slice(0, s_magic.Length).SequenceEqual(s_magic);

    /// <summary>The largest file <see cref="Create"/> makes (killed before its header, all of it is zeros).</summary>
    public static int LargestFile => FileHeaderSize + (DefaultSlotCount * SlotSize);

    /// <summary>True when a slot is free and the key fits in one.</summary>
    public bool CanMark(string key) => _free.Count > 0 && (key.Length * 3 <= MaxKeyBytes || Encoding.UTF8.GetByteCount(key) <= MaxKeyBytes);

    /// <summary>Marks <paramref name="key"/> in flight; returns the slot to clear afterwards.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public int Mark(string key, int run, int attempt, int deaths)
    {
        var slot = _free.Pop();
        var at = _slots + (slot * SlotSize);
        var length = Encoding.UTF8.GetBytes(key, 0, key.Length, _keyBuffer, 0);
        Marshal.WriteInt32(at, 0);
        Marshal.WriteInt32(at, 4, run);
        Marshal.WriteInt32(at, 8, attempt);
        Marshal.WriteInt32(at, 12, deaths);
        Marshal.Copy(_keyBuffer, 0, at + SlotHeaderSize, length);
        // The length publishes the slot: a reader must not see it before the key.
        StoreOrder.Fence();
        Marshal.WriteInt32(at, length);
        _markedKeys[slot] = key;
        return slot;
    }

    /// <summary>Frees a slot: the item's result is recorded in the journal now.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private void Clear(int slot)
    {
        Marshal.WriteInt32(_slots + (slot * SlotSize), 0);
        _markedKeys[slot] = null;
        _free.Push(slot);
    }

    /// <summary>
    /// Frees <paramref name="slot"/> if it still holds <paramref name="key"/>; false if it does not (a claim that
    /// ended before, whose slot may hold another key now).
    /// </summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public bool Release(int slot, string key)
    {
        if (!Holds(slot, key))
        {
            return false;
        }

        Clear(slot);
        return true;
    }

    /// <summary>True when <paramref name="slot"/> marks <paramref name="key"/> in flight.</summary>
    public bool Holds(int slot, string key)
        => (uint)slot < (uint)_slotCount && string.Equals(_markedKeys[slot], key, StringComparison.Ordinal);

    /// <summary>The slots marked now, with their keys.</summary>
    public IReadOnlyList<(int Slot, string Key)> Marked()
    {
        var marked = new List<(int Slot, string Key)>();
        for (var slot = 0; slot < _slotCount; slot++)
        {
            if (_markedKeys[slot] is { } key)
            {
                marked.Add((slot, key));
            }
        }

        return marked;
    }

    /// <summary>
    /// The items marked in flight in a slots file: by a live run (seen from outside), or by a run that died (seen by the
    /// next owner). A missing, foreign or half-made file yields what can be read, never an error: the marks only ever
    /// add information to what the journal says.
    /// </summary>
    public static IReadOnlyList<InFlightMark> ReadAll(string path)
    {
        byte[] bytes;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
            bytes = new byte[stream.Length];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream.Read(bytes, read, bytes.Length - read);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }
        }
        catch (FileNotFoundException)
        {
            return Array.Empty<InFlightMark>();
        }
        catch (DirectoryNotFoundException)
        {
            return Array.Empty<InFlightMark>();
        }

        if (bytes.Length < FileHeaderSize || !new ReadOnlySpan<byte>(bytes, 0, s_magic.Length).SequenceEqual(s_magic)
            || BitConverter.ToInt32(bytes, 12) != SlotSize)
        {
            return Array.Empty<InFlightMark>();
        }

        var marks = new List<InFlightMark>();
        var slots = Math.Min(BitConverter.ToInt32(bytes, 8), (bytes.Length - FileHeaderSize) / SlotSize);
        for (var slot = 0; slot < slots; slot++)
        {
            var at = FileHeaderSize + (slot * SlotSize);
            var length = BitConverter.ToInt32(bytes, at);
            if (length <= 0 || length > MaxKeyBytes)
            {
                continue;
            }

            var key = Encoding.UTF8.GetString(bytes, at + SlotHeaderSize, length);
            marks.Add(new InFlightMark(key, BitConverter.ToInt32(bytes, at + 4), BitConverter.ToInt32(bytes, at + 8), BitConverter.ToInt32(bytes, at + 12)));
        }

        return marks;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Unmapped first, so that the accessor's Dispose skips its Flush (msync MS_SYNC; FlushViewOfFile on Windows):
        // that wrote the slots to disk at every close, only for the file to be deleted next. Marks only ever need to
        // reach the OS (see above), and at a close none is left.
        _view.SafeMemoryMappedViewHandle.DangerousRelease();
        _view.SafeMemoryMappedViewHandle.Dispose();
        _view.Dispose();
        _map.Dispose();
        _file.Dispose();
    }
}
