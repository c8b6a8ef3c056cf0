using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>A fact that needs POSIX signals, /bin/sh and execute bits: reported as skipped, with the reason, on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PosixFactAttribute : FactAttribute
{
    public PosixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Needs POSIX signals and /bin/sh; Windows runs the other tests.";
        }
    }
}
