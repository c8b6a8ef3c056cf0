using System.Threading;

namespace IncrementalPS.Core;

/// <summary>What the work delegate is told about the attempt it is asked to make.</summary>
/// <remarks>A struct: made for every attempt, it must not cost an allocation.</remarks>
public readonly struct ItemAttempt
{
    internal ItemAttempt(string key, int attempt, int attemptInRun, CancellationToken cancellationToken)
    {
        Key = key;
        Attempt = attempt;
        AttemptInRun = attemptInRun;
        CancellationToken = cancellationToken;
    }

    /// <summary>The item's key.</summary>
    public string Key { get; }

    /// <summary>The attempt number over the checkpoint's whole life (1 for the first try ever).</summary>
    public int Attempt { get; }

    /// <summary>The attempt number within this run (1 for the first try in this run).</summary>
    public int AttemptInRun { get; }

    /// <summary>Cancelled when the run is being stopped.</summary>
    public CancellationToken CancellationToken { get; }
}
