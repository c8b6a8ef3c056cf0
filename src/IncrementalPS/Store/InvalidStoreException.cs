using System;

namespace IncrementalPS.Store;

/// <summary>
/// -Store or $env:INCREMENTALPS_STORE names no PostgreSQL store. The message never repeats the value (it may hold a
/// password); <see cref="Origin"/> says where it came from, for the error's target.
/// </summary>
public sealed class InvalidStoreException : ArgumentException
{
    /// <summary>Creates the error.</summary>
    public InvalidStoreException(string message, string origin, Exception? innerException)
        : base(message, innerException)
    {
        Origin = origin;
    }

    /// <summary>"-Store" or "$env:INCREMENTALPS_STORE".</summary>
    public string Origin { get; }
}
