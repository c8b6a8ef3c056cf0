using System;

namespace IncrementalPS.Core;

/// <summary>
/// The database server of a shared checkpoint failed or could not be reached. What was committed before is kept; an
/// item in flight was not recorded done and runs again (here or in another worker).
/// </summary>
public sealed class CheckpointServerException : CheckpointException
{
    /// <summary>Creates the error for <paramref name="checkpoint"/> (a display name that never holds a password).</summary>
    public CheckpointServerException(string checkpoint, Exception innerException)
        : base(
            $"The PostgreSQL store of the checkpoint '{checkpoint}' failed: {innerException.Message.TrimEnd().TrimEnd('.')}. " +
            "Check that the server is up and reachable, then run again: every result committed before is kept, and items " +
            "in flight run again.",
            checkpoint,
            innerException)
    {
    }
}
