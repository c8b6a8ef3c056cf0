using System;

namespace IncrementalPS.Core;

/// <summary>What the file says about runs: the latest run-started and run-ended records, and the latest activity.</summary>
internal sealed class RunHistory
{
    public int LastRun;

    // The latest run-started record.
    public long StartedOffset = -1;
    public DateTime? StartedAt;
    public string? Fingerprint;
    public long? Total;

    // The latest run-ended record.
    public long EndedOffset = -1;
    public int EndedRun;
    public string? Outcome;
    public string? Reason;

    // The latest run-ended record of a run that saw the end of its input (any outcome but interrupted): how many
    // items it saw is the input's size. A stopped run's count is only how far it got.
    public long FinishedOffset = -1;
    public long FinishedSeen;

    public DateTime? LastRecordTime;
    public long LastRecordOffset = -1;

    /// <summary>Where the latest run's most recent results are (their times give a rate seen from outside).</summary>
    public readonly long[] RecentProcessed = new long[64];
    public int RecentCount;

    public bool LastRunEnded => LastRun > 0 && EndedRun == LastRun;

    public void NoteProcessed(long offset)
    {
        RecentProcessed[RecentCount % RecentProcessed.Length] = offset;
        RecentCount++;
    }

    /// <summary>
    /// The state of a checkpoint no live run holds: a run that died or was stopped leaves it Interrupted; after a run
    /// that ended, the keys decide (a reset since may have cleared its failures).
    /// </summary>
    public CheckpointState StoppedState(KeyTable keys)
    {
        if (!LastRunEnded || Outcome == JournalFormat.OutcomeInterrupted)
        {
            // Suspended on request: it stays so, whatever a reset did since, until the next run resumes it.
            return LastRunEnded && Reason == JournalFormat.ReasonSuspended ? CheckpointState.Suspended : CheckpointState.Interrupted;
        }

        return keys.Failed > 0 ? CheckpointState.Failed
            : keys.InFlight > 0 ? CheckpointState.Interrupted
            : CheckpointState.Completed;
    }

    /// <summary>
    /// The input size to assume when none is given: the latest run's given total, else what the last run that saw the
    /// end of its input saw; null (unknown) when neither is known.
    /// </summary>
    public long? EstimatedTotal => Total ?? (FinishedSeen > 0 ? FinishedSeen : null);

    /// <summary>Notes a run-ended record at <paramref name="offset"/>.</summary>
    public void NoteEnded(long offset, int run, string? outcome, long seen, string? reason = null)
    {
        EndedOffset = offset;
        EndedRun = run;
        Outcome = outcome;
        Reason = reason;
        if (outcome != JournalFormat.OutcomeInterrupted)
        {
            FinishedOffset = offset;
            FinishedSeen = seen;
        }
    }
}
