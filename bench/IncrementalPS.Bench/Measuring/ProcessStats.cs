using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace IncrementalPS.Bench.Measuring;

/// <summary>Per-process figures the runtime does not give: peak resident memory since a reset, and write() calls made.</summary>
internal static class ProcessStats
{
    /// <summary>
    /// Resets the process's peak resident set (Linux: "5" to /proc/self/clear_refs) so the next peak is the measured
    /// run's own. False when this system cannot: the peak then includes the warm-up, and the report says so.
    /// </summary>
    public static bool TryResetPeak()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Cannot reset the peak working set ({e.Message}); peak memory includes the warm-up.");
            return false;
        }
    }

    /// <summary>Peak resident set in bytes (VmHWM on Linux).</summary>
    public static long PeakWorkingSet()
    {
        if (OperatingSystem.IsLinux())
        {
            return ReadProcField("/proc/self/status", "VmHWM:") * 1024;
        }

        using var self = Process.GetCurrentProcess();
        return self.PeakWorkingSet64;
    }

    /// <summary>write()-family system calls made by this process so far (Linux /proc/self/io), or null elsewhere.</summary>
    public static long? WriteCalls() => OperatingSystem.IsLinux() ? ReadProcField("/proc/self/io", "syscw:") : null;

    private static long ReadProcField(string file, string field)
    {
        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{file} has no '{field}' line.");
        var value = line.Substring(field.Length).Trim().Split(' ')[0];
        return long.Parse(value, CultureInfo.InvariantCulture);
    }
}
