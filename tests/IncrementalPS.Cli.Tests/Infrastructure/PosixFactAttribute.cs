using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>A fact that needs POSIX: reported as skipped, with the reason, on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PosixFactAttribute : FactAttribute
{
    public PosixFactAttribute() => Skip = PosixOnly.SkipReason;
}
