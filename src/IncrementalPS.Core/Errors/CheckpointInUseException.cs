namespace IncrementalPS.Core;

/// <summary>A shared checkpoint cannot be removed while workers are live on it: they would go on recording into nothing.</summary>
public sealed class CheckpointInUseException : CheckpointException
{
    /// <summary>Creates the error for <paramref name="checkpoint"/>, which <paramref name="liveWorkers"/> workers run now.</summary>
    public CheckpointInUseException(string checkpoint, int liveWorkers)
        : base(
            $"The checkpoint '{checkpoint}' has {liveWorkers} live worker(s) (a heartbeat within their lease). Nothing was removed. " +
            "Stop them first (see 'incps status'), or force the removal if they are gone.",
            checkpoint)
    {
        LiveWorkers = liveWorkers;
    }

    private CheckpointInUseException(string checkpoint, int liveWorkers, string message)
        : base(message, checkpoint)
    {
        LiveWorkers = liveWorkers;
    }

    /// <summary>Saved texts cannot be dropped while workers are live: one finishing an item meanwhile would save new text.</summary>
    internal static CheckpointInUseException ForTextRemoval(string checkpoint, int liveWorkers)
        => new(
            checkpoint,
            liveWorkers,
            $"The checkpoint '{checkpoint}' has {liveWorkers} live worker(s) (a heartbeat within their lease), which may save new output or errors. " +
            "Nothing was changed. Drop the saved texts once they have stopped (see 'incps status').");

    /// <summary>Workers whose heartbeat is recent.</summary>
    public int LiveWorkers { get; }
}
