namespace IncrementalPS.Core;

/// <summary>
/// The checkpoint's keys are stored as keyed hashes and the secret given does not fit (none, or another one), or a
/// secret was given for a checkpoint of clear keys. The checkpoint was not changed.
/// </summary>
public sealed class CheckpointKeyHashException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointKeyHashException(string filePath, string message)
        : base(message, filePath)
    {
    }
}
