using System;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Store;

/// <summary>
/// The end of the input of a worker on a PostgreSQL store: it waits for the items other live workers held when it
/// reached them, and runs those whose holder dies (its lease lapses), so that the last worker standing finishes the job.
/// </summary>
internal static class SharedStoreEnd
{
    /// <summary>Returns at once for a file store (nothing is ever held elsewhere there).</summary>
    /// <exception cref="PipelineStoppedException">Ctrl+C while waiting: the items taken over stay in flight and run again.</exception>
    public static void ProcessHeld(CheckpointSession session, Action<ItemOutcome> report, CancellationToken cancellation)
    {
        if (session.HeldElsewhere == 0)
        {
            return;
        }

        try
        {
            session.ProcessHeld(report, cancellation);
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            throw new PipelineStoppedException();
        }
    }
}
