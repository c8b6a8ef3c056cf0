using System;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// An item's block in a runspace was left with break, continue or exit: it neither failed nor finished. The parallel
/// run leaves the item unfinished and stops, as the sequential mode does.
/// </summary>
internal sealed class BlockLeftException : Exception
{
    public BlockLeftException()
        : base("The script block left with break, continue or exit.")
    {
    }
}
