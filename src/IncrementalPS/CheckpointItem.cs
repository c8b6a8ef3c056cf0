using System;
using IncrementalPS.Core;

namespace IncrementalPS;

/// <summary>One key's record in a checkpoint, as Get-CheckpointItem reports it.</summary>
public sealed class CheckpointItem
{
    internal CheckpointItem(string checkpointName, Core.CheckpointItem item)
    {
        CheckpointName = checkpointName;
        Key = item.Key;
        State = item.State;
        Attempts = item.Attempts;
        Error = item.Error;
        CompletedAt = item.CompletedAt;
        UpdatedAt = item.UpdatedAt;
        Duration = item.Duration;
        Deaths = item.Deaths;
        HasSavedOutput = item.HasSavedOutput;
    }

    /// <summary>The checkpoint the item belongs to.</summary>
    public string CheckpointName { get; }

    /// <summary>The item's key.</summary>
    public string Key { get; }

    /// <summary>Completed, Failed or InFlight.</summary>
    public ItemState State { get; }

    /// <summary>Attempts made over the checkpoint's life.</summary>
    public int Attempts { get; }

    /// <summary>The last error (Message, Type, Category), for failed items.</summary>
    public ItemError? Error { get; }

    /// <summary>When the item completed; null when it has not.</summary>
    public DateTimeOffset? CompletedAt { get; }

    /// <summary>When the item's last record was written.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>How long the last attempt took, for completed and failed items.</summary>
    public TimeSpan? Duration { get; }

    /// <summary>How many times a process died while this item was in flight.</summary>
    public int Deaths { get; }

    /// <summary>True when the item's output was saved with -ReplayOutput.</summary>
    public bool HasSavedOutput { get; }

    /// <inheritdoc />
    public override string ToString() => Key;
}
