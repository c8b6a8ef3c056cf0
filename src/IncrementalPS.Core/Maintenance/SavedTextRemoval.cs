using System;

namespace IncrementalPS.Core;

/// <summary>
/// The rewrite behind <see cref="CheckpointReset.DropSavedText"/>: a completed item's record loses its saved output,
/// a failed item's record its error message (replaced by <see cref="RemovedMessage"/>; the error's type and category
/// stay, they name a kind of failure, not data). Every other field, and every other record, is kept as it was.
/// </summary>
internal sealed class SavedTextRemoval : IDisposable
{
    /// <summary>What a failed item's error message says once the text was dropped.</summary>
    public const string RemovedMessage = "(error text removed)";

    private readonly RecordWriter _writer = new();
    private readonly JournalRecord _record = new();

    /// <summary>How many records lost text.</summary>
    public int Changed { get; private set; }

    /// <summary>One record line (current format, without its newline) as it is to be written.</summary>
    public byte[] Rewrite(byte[] line)
    {
        var problem = JournalReaderV2.Instance.TryParse(line, _record, details: true);
        if (problem is not null)
        {
            // The load before the rewrite checked every line: a line that no longer parses is a bug, not data to keep.
            throw new InvalidOperationException("A record changed while its saved text was being removed: " + problem);
        }

        ArraySegment<byte> rewritten;
        if (_record.Type == RecordType.ItemCompleted && _record.HasOutput)
        {
            rewritten = _writer.ItemCompleted(_record.Key!, TimeOf(_record), _record.Attempt, _record.Milliseconds ?? 0, output: null);
        }
        else if (_record.Type == RecordType.ItemFailed)
        {
            var error = new ItemError(RemovedMessage, _record.Error?.Type, _record.Error?.Category);
            rewritten = _writer.ItemFailed(_record.Key!, TimeOf(_record), _record.Attempt, _record.Milliseconds ?? 0, error, _record.Deaths);
        }
        else
        {
            return line;
        }

        Changed++;
        var copy = new byte[rewritten.Count - 1];
        Array.Copy(rewritten.Array!, rewritten.Offset, copy, 0, copy.Length);
        return copy;
    }

    public void Dispose() => _writer.Dispose();

    private static DateTime TimeOf(JournalRecord record)
        => record.Time is DateTime time ? time.ToUniversalTime() : throw new InvalidOperationException("A record without a time cannot be rewritten.");
}
