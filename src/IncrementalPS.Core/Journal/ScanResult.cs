namespace IncrementalPS.Core;

/// <summary>What a scan of a checkpoint file found, besides its records.</summary>
internal sealed class ScanResult
{
    public ScanResult(JournalHeader header, long validLength, bool tornTail, long recordCount)
    {
        Header = header;
        ValidLength = validLength;
        TornTail = tornTail;
        RecordCount = recordCount;
    }

    public JournalHeader Header { get; }

    /// <summary>The end of the last whole record: where the next append goes.</summary>
    public long ValidLength { get; }

    /// <summary>True when bytes after <see cref="ValidLength"/> were a record torn by a crash.</summary>
    public bool TornTail { get; }

    /// <summary>Whole records after the header.</summary>
    public long RecordCount { get; }
}
