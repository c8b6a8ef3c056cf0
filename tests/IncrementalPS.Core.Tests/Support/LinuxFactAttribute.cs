using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>A fact about Linux only (its file system types, its system calls): reported as skipped elsewhere.</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux())
        {
            Skip = "Linux only.";
        }
    }
}
