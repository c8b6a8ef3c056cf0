using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;

namespace IncrementalPS.Store;

/// <summary>
/// Applies an action to each checkpoint a command names, writing a non-terminating error for each one that cannot be
/// resolved or read, so that one bad checkpoint does not hide the others.
/// </summary>
internal static class CheckpointLoop
{
    public static void ForEach(Cmdlet cmdlet, IEnumerable<Resolution> resolutions, Action<CheckpointLocation> action)
    {
        foreach (var resolution in resolutions)
        {
            if (resolution.Error is not null)
            {
                cmdlet.WriteError(resolution.Error);
                continue;
            }

            try
            {
                action(resolution.Location!);
            }
            catch (CheckpointException exception)
            {
                cmdlet.WriteError(ErrorRecords.ForCheckpoint(exception, resolution.Location!.FilePath));
            }
        }
    }
}
