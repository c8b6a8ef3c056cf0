namespace IncrementalPS.Core;

/// <summary>A live run holds the checkpoint. Nothing was changed.</summary>
public sealed class CheckpointLockedException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointLockedException(string filePath, CheckpointOwner? owner)
        : base(
            $"The checkpoint '{filePath}' is in use by a live run ({owner?.ToString() ?? "holder unknown"}). " +
            "Wait for that run to finish or stop it; a checkpoint has one owner at a time.",
            filePath)
    {
        Owner = owner;
    }

    /// <summary>The run holding the checkpoint, when it could be read.</summary>
    public CheckpointOwner? Owner { get; }
}
