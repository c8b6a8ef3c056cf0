namespace IncrementalPS.Cli;

/// <summary>One read of the store, already serialised: every request until the next read is answered from it.</summary>
internal sealed class ServedSnapshot
{
    public ServedSnapshot(byte[]? checkpoints, byte[] dashboard, byte[]? metrics, string? storeError)
    {
        Checkpoints = checkpoints;
        Dashboard = dashboard;
        Metrics = metrics;
        StoreError = storeError;
    }

    /// <summary><c>/api/checkpoints</c>: the <c>status --json</c> list; null when the store could not be read.</summary>
    public byte[]? Checkpoints { get; }

    /// <summary><c>/api/dashboard</c>.</summary>
    public byte[] Dashboard { get; }

    /// <summary><c>/metrics</c>, Prometheus text; null when the store could not be read (a scrape then fails, as it should).</summary>
    public byte[]? Metrics { get; }

    /// <summary>Why the store could not be read; null when it could.</summary>
    public string? StoreError { get; }
}
