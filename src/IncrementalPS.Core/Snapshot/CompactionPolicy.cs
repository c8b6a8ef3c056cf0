namespace IncrementalPS.Core;

/// <summary>When a checkpoint is worth rewriting as its live state.</summary>
internal static class CompactionPolicy
{
    // During a run only when the journal holds far more records than keys (a run writes about one per key; resumes
    // and long keys' item-started records add more): a rewrite costs a pass over the whole file.
    private const int RecordsPerKey = 3;
    private const long Slack = 100_000;

    public static bool DuringRun(long records, int keys) => records > (RecordsPerKey * (long)keys) + Slack;

    /// <summary>
    /// What a compaction during the run may copy under the run's lock at the swap: records appended during its copy
    /// beyond this are copied in the background first (at most <see cref="MaxCatchUps"/> times).
    /// </summary>
    public const long TailUnderLock = 4 << 20;

    public const int MaxCatchUps = 3;

    /// <summary>After a compaction during the run failed: the record count to reach before the next one is tried.</summary>
    public static long RetryAfterFailure(long records) => records + Slack;

    /// <summary>At the end of a run that keeps its checkpoint: whenever there is more than the live state.</summary>
    public static bool AtEnd(long records, int keys) => records > keys + 2;
}
