namespace IncrementalPS.Core;

/// <summary>What a run found when it opened its checkpoint.</summary>
internal sealed class ResumeInfo
{
    internal ResumeInfo(
        int runNumber, bool isResume, CheckpointState? previousState, long completed, long failed, long inFlight,
        bool repairedTornRecord, string? previousFingerprint, bool fingerprintChanged, long? estimatedTotal)
    {
        RunNumber = runNumber;
        IsResume = isResume;
        PreviousState = previousState;
        Completed = completed;
        Failed = failed;
        InFlight = inFlight;
        RepairedTornRecord = repairedTornRecord;
        PreviousFingerprint = previousFingerprint;
        FingerprintChanged = fingerprintChanged;
        EstimatedTotal = estimatedTotal;
    }

    /// <summary>This run's number in the checkpoint (1 for a new checkpoint).</summary>
    public int RunNumber { get; }

    /// <summary>True when the checkpoint existed before this run.</summary>
    public bool IsResume { get; }

    /// <summary>The state the checkpoint was in, when it existed.</summary>
    public CheckpointState? PreviousState { get; }

    /// <summary>Completed keys found.</summary>
    public long Completed { get; }

    /// <summary>Failed keys found.</summary>
    public long Failed { get; }

    /// <summary>Keys left in flight by runs that died or were stopped; they run again.</summary>
    public long InFlight { get; }

    /// <summary>True when the last record was torn by a crash mid-write and was dropped.</summary>
    public bool RepairedTornRecord { get; }

    /// <summary>The code fingerprint of the previous run, if recorded.</summary>
    public string? PreviousFingerprint { get; }

    /// <summary>True when both runs recorded a fingerprint and they differ: earlier items were done by other code.</summary>
    public bool FingerprintChanged { get; }

    /// <summary>The total this run assumes when none was given (given to an earlier run, or the count of the last run that read its input to the end), or null when unknown.</summary>
    public long? EstimatedTotal { get; }
}
