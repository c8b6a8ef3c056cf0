namespace IncrementalPS.Core;

/// <summary>What a scan of a checkpoint file found, besides its records.</summary>
internal sealed class ScanResult
{
    public ScanResult(JournalHeader header, long headerLength, long validLength, long fileLength, bool tornTail, long recordCount)
    {
        Header = header;
        HeaderLength = headerLength;
        ValidLength = validLength;
        FileLength = fileLength;
        TornTail = tornTail;
        RecordCount = recordCount;
    }

    public JournalHeader Header { get; }

    /// <summary>Bytes of the header line, including its '\n'.</summary>
    public long HeaderLength { get; }

    /// <summary>The end of the last whole record: where the next append goes.</summary>
    public long ValidLength { get; }

    public long FileLength { get; }

    /// <summary>True when bytes after <see cref="ValidLength"/> were a record torn by a crash.</summary>
    public bool TornTail { get; }

    /// <summary>Whole records after the header.</summary>
    public long RecordCount { get; }
}
