using System;

namespace IncrementalPS.Core;

/// <summary>The result of handing one item to <see cref="CheckpointSession.Process"/>.</summary>
/// <remarks>A struct: returned for every item, it must not cost an allocation.</remarks>
public readonly struct ItemOutcome
{
    internal ItemOutcome(string key, ItemOutcomeKind kind, int attempts, ItemError? error, TimeSpan duration, bool hasSavedOutput)
    {
        Key = key;
        Kind = kind;
        Attempts = attempts;
        Error = error;
        Duration = duration;
        HasSavedOutput = hasSavedOutput;
    }

    /// <summary>The item's key.</summary>
    public string Key { get; }

    /// <summary>What happened.</summary>
    public ItemOutcomeKind Kind { get; }

    /// <summary>Attempts made on this item over the checkpoint's life.</summary>
    public int Attempts { get; }

    /// <summary>The last error, for failed, skipped-failed and poisoned items.</summary>
    public ItemError? Error { get; }

    /// <summary>Time spent in the work delegate in this run (zero when skipped).</summary>
    public TimeSpan Duration { get; }

    /// <summary>True when a skipped completed item has saved output that <see cref="CheckpointSession.ReadSavedOutput"/> returns.</summary>
    public bool HasSavedOutput { get; }

    /// <summary>True for the kinds where the work delegate was not called in this run.</summary>
    public bool WasSkipped => Kind is ItemOutcomeKind.SkippedCompleted or ItemOutcomeKind.SkippedFailed or ItemOutcomeKind.SkippedDuplicate or ItemOutcomeKind.Poisoned;
}
