using System;

namespace IncrementalPS.Core;

/// <summary>One key's record in a checkpoint. Returned by <see cref="CheckpointInspector.ReadItems"/>.</summary>
public sealed class CheckpointItem
{
    internal CheckpointItem(
        string key, ItemState state, int attempts, ItemError? error, DateTimeOffset? updatedAt, TimeSpan? duration, int deaths, bool hasSavedOutput)
    {
        Key = key;
        State = state;
        Attempts = attempts;
        Error = error;
        UpdatedAt = updatedAt;
        Duration = duration;
        Deaths = deaths;
        HasSavedOutput = hasSavedOutput;
    }

    /// <summary>The item's key.</summary>
    public string Key { get; }

    /// <summary>Completed, Failed or InFlight.</summary>
    public ItemState State { get; }

    /// <summary>Attempts made over the checkpoint's life.</summary>
    public int Attempts { get; }

    /// <summary>The last error, for failed items.</summary>
    public ItemError? Error { get; }

    /// <summary>When the item completed; null otherwise.</summary>
    public DateTimeOffset? CompletedAt => State == ItemState.Completed ? UpdatedAt : null;

    /// <summary>When the item's last record was written.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>How long the last attempt took, for completed and failed items.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>How many times a process died while this item was in flight (since it last finished).</summary>
    public int Deaths { get; }

    /// <summary>True when the completion record carries saved output.</summary>
    public bool HasSavedOutput { get; }

    /// <summary>The item's key.</summary>
    public override string ToString() => Key;
}
