using System;

namespace IncrementalPS.Cli.Tests;

/// <summary>Why a test that needs POSIX signals, /bin/sh and execute bits does not run here (null where it does).</summary>
internal static class PosixOnly
{
    public static string? SkipReason => OperatingSystem.IsWindows() ? "Needs POSIX signals and /bin/sh; Windows runs the other tests." : null;
}
