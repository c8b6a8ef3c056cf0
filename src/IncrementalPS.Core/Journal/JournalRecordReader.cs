using System;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>Reads single records at known offsets (saved output, an item's error, the latest run's details).</summary>
internal sealed class JournalRecordReader
{
    private readonly Stream _stream;
    private readonly string _path;
    private readonly IJournalRecordReader _reader;
    private byte[] _buffer = new byte[4096];

    public JournalRecordReader(Stream stream, string path, int version)
    {
        _stream = stream;
        _path = path;
        _reader = JournalScanner.ReaderFor(version);
    }

    /// <summary>Parses the record starting at <paramref name="offset"/> with all its details. Returns a new record.</summary>
    public JournalRecord ReadAt(long offset)
    {
        _stream.Seek(offset, SeekOrigin.Begin);
        var length = 0;
        while (true)
        {
            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }

            var read = _stream.Read(_buffer, length, _buffer.Length - length);
            var newline = read == 0 ? -1 : Array.IndexOf(_buffer, (byte)'\n', length, read);
            length += read;
            if (newline >= 0)
            {
                length = newline;
                break;
            }

            if (read == 0)
            {
                break;
            }
        }

        var record = new JournalRecord();
        var problem = _reader.TryParse(new ReadOnlySpan<byte>(_buffer, 0, length), record, details: true);
        if (problem is not null)
        {
            // The offset came from a scan of this same file, so a failure here means it changed under us.
            throw new CheckpointCorruptException(_path, 0, $"the record at byte {offset} can no longer be read ({problem})");
        }

        return record;
    }
}
