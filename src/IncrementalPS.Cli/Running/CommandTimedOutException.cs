using System;

namespace IncrementalPS.Cli;

/// <summary>Thrown by the work delegate when the command ran past --timeout and was killed, so that the item is recorded failed.</summary>
internal sealed class CommandTimedOutException : Exception
{
    /// <summary>Creates the exception for a command killed after <paramref name="timeout"/>.</summary>
    public CommandTimedOutException(TimeSpan timeout)
        : base($"timed out: still running after {Exact(timeout)} (--timeout), so the command and every process it started were killed")
    {
        Timeout = timeout;
    }

    /// <summary>Required by the exception design rules; the CLI always uses the other constructor.</summary>
    public CommandTimedOutException()
    {
    }

    /// <summary>Required by the exception design rules; the CLI always uses the other constructor.</summary>
    public CommandTimedOutException(string message)
        : base(message)
    {
    }

    /// <summary>Required by the exception design rules; the CLI always uses the other constructor.</summary>
    public CommandTimedOutException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The time the command was given.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>
    /// The timeout as given: CliFormat.Duration rounds down to whole seconds (1.5s would read "1s"), which suits an
    /// elapsed time, not a limit the user set.
    /// </summary>
    private static string Exact(TimeSpan timeout)
        => timeout.TotalSeconds is >= 1 and < 60 && timeout.Milliseconds != 0
            ? timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + "s"
            : CliFormat.Duration(timeout);
}
