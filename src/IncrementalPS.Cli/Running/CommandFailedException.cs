using System;

namespace IncrementalPS.Cli;

/// <summary>Thrown by the work delegate when the command exited with a code other than 0, so that the engine records the item as failed.</summary>
internal sealed class CommandFailedException : Exception
{
    /// <summary>Creates the exception for a command that ran and exited with <paramref name="exitCode"/>.</summary>
    public CommandFailedException(int exitCode, string stderrTail)
        : base(Describe(exitCode, stderrTail))
    {
        ExitCode = exitCode;
    }

    /// <summary>Creates the exception for a command that could not be started.</summary>
    public CommandFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Required by the exception design rules; the CLI always uses the other constructors.</summary>
    public CommandFailedException()
    {
    }

    /// <summary>Required by the exception design rules; the CLI always uses the other constructors.</summary>
    public CommandFailedException(string message)
        : base(message)
    {
    }

    /// <summary>The exit code, or null when the program could not be started.</summary>
    public int? ExitCode { get; }

    private static string Describe(int exitCode, string stderrTail)
        => string.IsNullOrWhiteSpace(stderrTail) ? $"exit code {exitCode}" : $"exit code {exitCode}: {stderrTail}";
}
