namespace IncrementalPS.Cli;

/// <summary>One read of the store, already serialised: every request until the next read is answered from it.</summary>
internal sealed class ServedSnapshot
{
    public ServedSnapshot(byte[]? checkpoints, byte[] dashboard, string? storeError)
    {
        Checkpoints = checkpoints;
        Dashboard = dashboard;
        StoreError = storeError;
    }

    /// <summary><c>/api/checkpoints</c>: the <c>status --json</c> list; null when the store could not be read.</summary>
    public byte[]? Checkpoints { get; }

    /// <summary><c>/api/dashboard</c>.</summary>
    public byte[] Dashboard { get; }

    /// <summary>Why the store could not be read; null when it could.</summary>
    public string? StoreError { get; }
}
