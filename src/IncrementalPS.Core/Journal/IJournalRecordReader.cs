using System;

namespace IncrementalPS.Core;

/// <summary>Parses the record lines of one format version. One implementation per version keeps old files readable.</summary>
internal interface IJournalRecordReader
{
    /// <summary>
    /// Parses <paramref name="line"/> into <paramref name="record"/>. Returns null on success, or why the line is not
    /// a valid record. With <paramref name="details"/> false, large or rarely needed fields are skipped, not allocated.
    /// </summary>
    string? TryParse(ReadOnlySpan<byte> line, JournalRecord record, bool details);
}
