using System.Threading;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// Counts one attempt's output objects queued for the pipeline thread and those it wrote, so that the worker can tell
/// when all of them reached the pipeline. Counted per object, not by a marker queued after them: a stop that drops
/// other items' queued output must not hold back an item whose own output was all written before it.
/// </summary>
internal sealed class WrittenOutput
{
    private readonly object _gate = new();
    private int _queued;
    private int _written;

    /// <summary>One more object queued; on the thread that queues it.</summary>
    public void Queued()
    {
        lock (_gate)
        {
            _queued++;
        }
    }

    /// <summary>One more object written; on the pipeline thread, after WriteObject returned.</summary>
    public void Written()
    {
        lock (_gate)
        {
            _written++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until every queued object was written.</summary>
    /// <exception cref="System.OperationCanceledException">The run is stopping with output not written.</exception>
    public void WaitAll(CancellationToken cancellationToken)
    {
        using var wake = cancellationToken.Register(() =>
        {
            lock (_gate)
            {
                Monitor.PulseAll(_gate);
            }
        });
        lock (_gate)
        {
            while (_written < _queued)
            {
                cancellationToken.ThrowIfCancellationRequested();
                Monitor.Wait(_gate);
            }
        }
    }
}
