using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>A theory that needs POSIX signals and /bin/sh: reported as skipped, with the reason, on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PosixTheoryAttribute : TheoryAttribute
{
    public PosixTheoryAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs POSIX signals and /bin/sh; Windows runs the other tests.";
        }
    }
}
