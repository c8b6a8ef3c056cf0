using System.Management.Automation.Runspaces;

namespace IncrementalPS.Running.Parallel;

/// <summary>A runspace of the run's pool, with the number that keeps its items' progress records apart from others'.</summary>
internal sealed class PooledRunspace
{
    public PooledRunspace(Runspace runspace, int index)
    {
        Runspace = runspace;
        Index = index;
    }

    public Runspace Runspace { get; }

    /// <summary>0 to the throttle limit - 1; reused when a broken runspace is replaced.</summary>
    public int Index { get; }
}
