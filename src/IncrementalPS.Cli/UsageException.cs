using System;

namespace IncrementalPS.Cli;

/// <summary>The command line asks for something incps cannot do; reported with exit code 2 before anything changes.</summary>
internal sealed class UsageException : Exception
{
    /// <summary>Creates the exception; the message says what to change.</summary>
    public UsageException(string message)
        : base(message)
    {
    }

    /// <summary>Required by the exception design rules.</summary>
    public UsageException()
    {
    }

    /// <summary>Required by the exception design rules.</summary>
    public UsageException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
