using System.Collections.Generic;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// Every checkpoint of a store directory as <c>incps status --json</c> lists them: the one code path behind that listing
/// and the status page's <c>/api/checkpoints</c>, so both show the same thing.
/// </summary>
internal static class StatusRows
{
    /// <summary>The rows, in name order; a checkpoint that cannot be read is a row in state "unreadable" that says why.</summary>
    /// <exception cref="CheckpointException">The store directory itself cannot be listed.</exception>
    public static List<StatusJson> ReadStore(string? storeDirectory)
    {
        var rows = new List<StatusJson>();
        foreach (var location in CheckpointStore.List(storeDirectory))
        {
            try
            {
                rows.Add(JsonOutput.FromStatus(CheckpointInspector.ReadStatus(location)));
            }
            catch (CheckpointException ex)
            {
                // One damaged file must not hide the others.
                rows.Add(JsonOutput.Unreadable(location, ex.Message));
            }
        }

        return rows;
    }
}
