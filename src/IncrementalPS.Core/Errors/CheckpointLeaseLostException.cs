namespace IncrementalPS.Core;

/// <summary>
/// A worker's claim on an item lapsed and another worker took the item over: this worker's result for it was refused,
/// so that the result of the worker that holds the item now is the one kept.
/// </summary>
public sealed class CheckpointLeaseLostException : CheckpointException
{
    /// <summary>Creates the error for <paramref name="key"/> in <paramref name="checkpoint"/>.</summary>
    public CheckpointLeaseLostException(string checkpoint, string key)
        : base(
            $"The result of item '{key}' was not recorded in the checkpoint '{checkpoint}': this worker's lease on it lapsed " +
            "(no heartbeat reached the server in time) and another worker took the item over. Its result is the one kept. " +
            "If this happens often, the workers lose contact with the server for longer than the lease: check the network.",
            checkpoint)
    {
        Key = key;
    }

    /// <summary>The item whose result was refused.</summary>
    public string Key { get; }
}
