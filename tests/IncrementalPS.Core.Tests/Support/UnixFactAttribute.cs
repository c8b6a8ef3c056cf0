using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>A fact about Unix file modes: reported as skipped, with the reason, on Windows.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class UnixFactAttribute : FactAttribute
{
    public UnixFactAttribute()
    {
        if (OperatingSystem.IsWindows())
        {
            Skip = "Unix file modes and owners do not exist on Windows (a rewritten file takes its folder's inherited ACL there).";
        }
    }
}
