using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>A fact that gives a file to another user: needs root on Linux, reported as skipped otherwise.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LinuxRootFactAttribute : FactAttribute
{
    public LinuxRootFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || Environment.UserName != "root")
        {
            Skip = "Giving a file to another user (chown) needs root on Linux.";
        }
    }
}
