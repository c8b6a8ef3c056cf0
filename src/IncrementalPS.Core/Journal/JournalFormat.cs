namespace IncrementalPS.Core;

/// <summary>The names that make up the checkpoint file format (docs/checkpoint-format.md).</summary>
internal static class JournalFormat
{
    public const string FormatId = "incrementalps-checkpoint";

    /// <summary>The version this build writes. Readers for every version up to it live beside this file.</summary>
    public const int CurrentVersion = 2;

    /// <summary>
    /// Version 2 whose keys are keyed hashes (its header says how, with a check value): written only for a checkpoint
    /// created with key hashing, so that a build that does not know hashing refuses it instead of adding clear keys.
    /// </summary>
    public const int HashedKeysVersion = 3;

    /// <summary>The newest version this build reads.</summary>
    public const int NewestReadableVersion = HashedKeysVersion;

    public const string RunStarted = "run-started";
    public const string RunEnded = "run-ended";
    public const string ItemStarted = "item-started";
    public const string ItemCompleted = "item-completed";
    public const string ItemFailed = "item-failed";
    public const string ItemInterrupted = "item-interrupted";

    public const string OutcomeCompleted = "completed";
    public const string OutcomeFailed = "failed";
    public const string OutcomeIncomplete = "incomplete";
    public const string OutcomeInterrupted = "interrupted";

    /// <summary>
    /// The engine's outcome of a run that was asked to suspend. The journal writes it as outcome
    /// <see cref="OutcomeInterrupted"/> with <c>"reason":"suspended"</c>, so that older readers see a run to resume
    /// (and do not take its count of items seen for the input's size).
    /// </summary>
    public const string OutcomeSuspended = "suspended";

    /// <summary>The <c>reason</c> of a run-ended record whose run was suspended on request.</summary>
    public const string ReasonSuspended = "suspended";
}
