using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>A theory that needs POSIX: reported as skipped, with the reason, on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class PosixTheoryAttribute : TheoryAttribute
{
    public PosixTheoryAttribute() => Skip = PosixOnly.SkipReason;
}
