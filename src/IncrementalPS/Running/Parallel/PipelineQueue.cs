using System;
using System.Collections.Concurrent;
using System.Threading;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// What worker threads want done on the pipeline thread (write output, an error, a progress record, an item's
/// result), in the order they asked. A cmdlet may write only from its pipeline thread, inside ProcessRecord or
/// EndProcessing: that thread runs these whenever it waits for the workers.
/// </summary>
internal sealed class PipelineQueue : IDisposable
{
    private readonly BlockingCollection<Action> _actions = new();

    /// <summary>Queues an action for the pipeline thread; from any thread.</summary>
    public void Post(Action action) => _actions.Add(action);

    /// <summary>
    /// Runs the queued actions, waiting up to <paramref name="wait"/> for the first one; returns whether it ran any.
    /// </summary>
    /// <exception cref="OperationCanceledException">The run is stopping.</exception>
    public bool RunQueued(TimeSpan wait, CancellationToken cancellationToken)
    {
        if (!_actions.TryTake(out var action, (int)wait.TotalMilliseconds, cancellationToken))
        {
            return false;
        }

        action();
        while (_actions.TryTake(out action))
        {
            action();
        }

        return true;
    }

    public void Dispose() => _actions.Dispose();
}
