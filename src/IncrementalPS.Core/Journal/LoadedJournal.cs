namespace IncrementalPS.Core;

/// <summary>A checkpoint file read into memory: its keys, its runs, and where its valid part ends.</summary>
internal sealed class LoadedJournal
{
    public LoadedJournal(ScanResult scan, KeyTable keys, RunHistory runs)
    {
        Scan = scan;
        Keys = keys;
        Runs = runs;
    }

    public ScanResult Scan { get; }

    public KeyTable Keys { get; }

    public RunHistory Runs { get; }
}
