using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Running.Batching;

/// <summary>The $_ of a batch: the array of its items that are still to do.</summary>
internal static class BatchInput
{
    public static PSObject Of(IReadOnlyList<PSObject?> items, IReadOnlyList<int> positions)
    {
        var batch = new object?[positions.Count];
        for (var i = 0; i < batch.Length; i++)
        {
            batch[i] = items[positions[i]];
        }

        return PSObject.AsPSObject(batch);
    }
}
