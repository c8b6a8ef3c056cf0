using System;

namespace IncrementalPS.Core;

/// <summary>
/// One parsed line. A single instance is reused for every line of a scan, so loading a million records allocates
/// little more than the keys themselves.
/// </summary>
internal sealed class JournalRecord
{
    public RecordType Type;
    public string? Key;
    public DateTime? Time;
    public int Run;
    public int Attempt;
    public int Deaths;
    public double? Milliseconds;
    public bool HasOutput;

    // Filled only when details are asked for (status, item listings, saved output).
    public string? Output;
    public ItemError? Error;
    public int ProcessId;
    public string? Host;
    public string? Writer;
    public string? Fingerprint;
    public long? Total;
    public string? Outcome;
    public string? Reason;
    public long Seen;

    public void Clear()
    {
        Type = RecordType.Unknown;
        Key = null;
        Time = null;
        Run = 0;
        Attempt = 0;
        Deaths = 0;
        Milliseconds = null;
        HasOutput = false;
        Output = null;
        Error = null;
        ProcessId = 0;
        Host = null;
        Writer = null;
        Fingerprint = null;
        Total = null;
        Outcome = null;
        Reason = null;
        Seen = 0;
    }
}
