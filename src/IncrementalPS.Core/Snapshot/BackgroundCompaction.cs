using System;
using System.IO;
using System.Runtime.ExceptionServices;
using System.Threading.Tasks;

namespace IncrementalPS.Core;

/// <summary>
/// A compaction of a journal that a live run goes on appending to. The long part, copying the live records before
/// the plan's end to a temporary file and flushing it to disk, runs on a pool thread while the run appends past that
/// end; the store then finishes it under its lock: <see cref="AppendTail"/> copies what was appended meanwhile
/// (usually little), <see cref="Commit"/> swaps the file in. Until the swap the journal is untouched, so a failure or
/// a kill at any moment leaves it complete and valid, plus at most a temporary file that the next open removes.
/// </summary>
internal sealed class BackgroundCompaction
{
    private readonly string _path;
    private readonly Action? _afterCopy;
    private Task _copy;
    private string? _temp;
    private long _prefixLength;
    // How far into the journal the temporary file has caught up, and where in it the next bytes go.
    private long _copiedEnd;
    private long _length;

    private BackgroundCompaction(string path, CompactionPlan plan, long recordsAtStart, Action? afterCopy)
    {
        _path = path;
        Plan = plan;
        RecordsAtStart = recordsAtStart;
        _afterCopy = afterCopy;
        _copy = Task.Run(Copy);
    }

    public CompactionPlan Plan { get; }

    /// <summary>How many records the journal held when the plan was taken.</summary>
    public long RecordsAtStart { get; }

    /// <summary>True once the copy has ended, well or not: finishing then does not wait.</summary>
    public bool IsCopied => _copy.IsCompleted;

    /// <summary>How many times the copy caught up with the journal in the background (<see cref="StartCatchUp"/>).</summary>
    public int CatchUps { get; private set; }

    /// <summary>Once copied, how many bytes of a journal that ends at <paramref name="end"/> are still to copy; 0 after a failed copy (nothing to catch up).</summary>
    public long Behind(long end) => _copy.Status == TaskStatus.RanToCompletion ? end - _copiedEnd : 0;

    /// <summary>Starts copying <paramref name="plan"/>'s records of <paramref name="path"/>; <paramref name="afterCopy"/> (tests) runs on the copying thread when the copy is done.</summary>
    public static BackgroundCompaction Start(string path, CompactionPlan plan, long recordsAtStart, Action? afterCopy)
        => new(path, plan, recordsAtStart, afterCopy);

    /// <summary>
    /// Waits for the copy, then appends the journal's bytes from the plan's end to <paramref name="end"/> to the
    /// temporary file and flushes it to disk. Returns the length of the prefix (where the tail starts) and of the new file.
    /// The caller holds the store's lock (nothing is appended meanwhile). Throws what the copy threw.
    /// </summary>
    public (long PrefixLength, long Length) AppendTail(long end)
    {
        WaitForCopy();
        // Durable before the swap: every result appended to the old journal is in it, so the swap keeps every promise
        // of durability made for the old one.
        CopyRange(end);
        return (_prefixLength, _length);
    }

    /// <summary>
    /// After a copy that took long enough for much to be appended meanwhile: copies the journal up to
    /// <paramref name="end"/> (a record boundary the caller read under its lock) in the background too, so that the
    /// tail left for the lock stays short.
    /// </summary>
    public void StartCatchUp(long end)
    {
        CatchUps++;
        _copy = Task.Run(() => CopyRange(end));
    }

    /// <summary>Renames the temporary file over the journal (durably; keeping its mode and owner). The caller has closed every handle on the journal first (Windows).</summary>
    public void Commit() => AtomicFile.Commit(_temp!, _path, durable: true);

    /// <summary>Waits for the copy to end and removes the temporary file: the journal stays as it is.</summary>
    public void Discard()
    {
        // Waits without throwing: the caller has had the copy's failure already, or is removing the checkpoint.
        ((IAsyncResult)_copy).AsyncWaitHandle.WaitOne();
        if (_temp is not null && File.Exists(_temp))
        {
            File.Delete(_temp);
        }
    }

    private void WaitForCopy()
    {
        try
        {
            _copy.Wait();
        }
        catch (AggregateException ex) when (ex.InnerExceptions.Count == 1)
        {
            ExceptionDispatchInfo.Capture(ex.InnerExceptions[0]).Throw();
        }
    }

    private void Copy()
    {
        // A handle of its own: the run's reads (saved output, errors) and appends go on meanwhile.
        using (var source = JournalLoader.OpenShared(_path, bufferSize: 1 << 16))
        {
            // Flushed to disk here, off the lock: only the tail is left to flush under it.
            _temp = AtomicFile.WriteTemp(_path, target => _prefixLength = Plan.CopyPrefix(source, target, _path), durable: true);
        }

        _copiedEnd = Plan.End;
        _length = _prefixLength;
        _afterCopy?.Invoke();
    }

    /// <summary>Appends the journal's bytes from where the copy stands to <paramref name="end"/> to the temporary file, verbatim, and flushes it to disk.</summary>
    private void CopyRange(long end)
    {
        using var target = new FileStream(_temp!, FileMode.Open, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
        target.Seek(_length, SeekOrigin.Begin);
        using (var source = JournalLoader.OpenShared(_path, bufferSize: 1 << 16))
        {
            source.Seek(_copiedEnd, SeekOrigin.Begin);
            var buffer = new byte[1 << 16];
            var left = end - _copiedEnd;
            while (left > 0)
            {
                var read = source.Read(buffer, 0, (int)Math.Min(buffer.Length, left));
                if (read == 0)
                {
                    throw new IOException($"'{_path}' ended before the {end} bytes written to it; the checkpoint was left as it was.");
                }

                target.Write(buffer, 0, read);
                left -= read;
            }
        }

        target.Flush(flushToDisk: true);
        _copiedEnd = end;
        _length = target.Position;
    }
}
