using System.Collections.Generic;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>What the work delegate of a batch is told about the attempt it is asked to make.</summary>
internal readonly struct BatchAttempt
{
    internal BatchAttempt(IReadOnlyList<int> positions, int attemptInRun, CancellationToken cancellationToken)
    {
        Positions = positions;
        AttemptInRun = attemptInRun;
        CancellationToken = cancellationToken;
    }

    /// <summary>The positions, in the keys given, of the items to run (those not skipped), in order.</summary>
    public IReadOnlyList<int> Positions { get; }

    /// <summary>The attempt number within this run (1 for the first try in this run).</summary>
    public int AttemptInRun { get; }

    /// <summary>Cancelled when the run is being stopped.</summary>
    public CancellationToken CancellationToken { get; }
}
