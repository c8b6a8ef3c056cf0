using System;
using IncrementalPS.Core;

namespace IncrementalPS.Running;

/// <summary>Tells a script block's request to stop the run for later from its failure.</summary>
internal static class StopRequest
{
    /// <summary>
    /// The <see cref="StopForLaterException"/> the block threw, also when it came wrapped (from a .NET method the block
    /// called, or a cmdlet's terminating error); null when the block failed for any other reason.
    /// </summary>
    public static StopForLaterException? Find(ScriptBlockFailedException failure)
        => Find(failure.Original) ?? Find(failure.ErrorRecord.Exception);

    private static StopForLaterException? Find(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StopForLaterException stop)
            {
                return stop;
            }
        }

        return null;
    }
}
