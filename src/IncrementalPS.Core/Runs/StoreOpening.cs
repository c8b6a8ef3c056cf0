namespace IncrementalPS.Core;

/// <summary>What a store found when a run took the checkpoint (before the run changed anything).</summary>
internal readonly struct StoreOpening
{
    public StoreOpening(int run, bool isResume, CheckpointState? previousState, bool repairedTornRecord, string? previousFingerprint, long? previousTotal)
    {
        Run = run;
        IsResume = isResume;
        PreviousState = previousState;
        RepairedTornRecord = repairedTornRecord;
        PreviousFingerprint = previousFingerprint;
        PreviousTotal = previousTotal;
    }

    /// <summary>This run's number (1 for a new checkpoint).</summary>
    public int Run { get; }

    public bool IsResume { get; }

    public CheckpointState? PreviousState { get; }

    public bool RepairedTornRecord { get; }

    public string? PreviousFingerprint { get; }

    /// <summary>The input size known from earlier runs (given, or seen by a run that read its input to the end).</summary>
    public long? PreviousTotal { get; }
}
