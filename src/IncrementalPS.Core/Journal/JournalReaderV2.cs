using System;

#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <summary>
/// Reads the records of format version 2 (docs/checkpoint-format.md): version 1's records, each sealed by a CRC-32C of
/// its bytes. The checksum is checked before anything is parsed, by the fast path and the JSON reader alike, so a
/// damaged line is refused even when its JSON is still valid (a flipped bit turning one key into another).
/// </summary>
internal sealed class JournalReaderV2 : IJournalRecordReader
{
    public static readonly JournalReaderV2 Instance = new();

    // A load calls this once per record, millions of times in one go: compile it optimized from the start.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public string? TryParse(ReadOnlySpan<byte> line, JournalRecord record, bool details)
    {
        var problem = LineChecksum.Verify(line, out var body);
        if (problem is not null)
        {
            record.Clear();
            return problem;
        }

        if (!details && CompletedRecordFastPath.TryParseBody(body, record))
        {
            return null;
        }

        return JournalReaderV1.ParseJson(line, record, details);
    }
}
