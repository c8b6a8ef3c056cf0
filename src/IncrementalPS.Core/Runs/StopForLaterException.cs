using System;

namespace IncrementalPS.Core;

/// <summary>
/// Thrown by an item's work to stop the run for later (a rate limit, a maintenance window): not the item's failure.
/// The engine leaves the item unfinished, without retrying it, so it runs again on the next run, and lets this
/// propagate; the front end then starts no new item, lets the ones in flight finish, and ends the run as stopped for
/// later (incps exit 75, the module's StoppedForLater error), which a scheduler can tell from a failure.
/// </summary>
internal sealed class StopForLaterException : Exception
{
    public StopForLaterException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }
}
