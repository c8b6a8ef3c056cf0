using System;

namespace IncrementalPS.Core;

/// <summary>
/// Thrown by an item's work to stop the run for later (a rate limit, a maintenance window): not the item's failure.
/// The engine leaves the item unfinished, without retrying it, so it runs again on the next run, and lets this
/// propagate; the front end then starts no new item, lets the ones in flight finish, and ends the run as stopped for
/// later (incps exit 75, Invoke-Incremental's StoppedForLater error), which a scheduler can tell from a failure.
/// </summary>
/// <remarks>
/// Public because an Invoke-Incremental script block throws it (<c>throw [IncrementalPS.Core.StopForLaterException]::new('rate limited')</c>)
/// and a script catches it by type around the run.
/// </remarks>
public sealed class StopForLaterException : Exception
{
    /// <summary>Creates the request; <paramref name="message"/> says why (it is shown when the run stops).</summary>
    public StopForLaterException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the request with the error that caused it (an HTTP 429, say).</summary>
    public StopForLaterException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The key of the item whose work asked to stop; set by the engine as the request passes it.</summary>
    public string? Key { get; internal set; }
}
