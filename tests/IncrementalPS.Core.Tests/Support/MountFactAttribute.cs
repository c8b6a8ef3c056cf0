using System;
using System.IO;
using System.Linq;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>A fact that mounts a small tmpfs: needs Linux and CAP_SYS_ADMIN (root outside a default container).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class MountFactAttribute : FactAttribute
{
    private const int CapSysAdmin = 21;

    public MountFactAttribute()
    {
        if (!OperatingSystem.IsLinux() || !HasCapSysAdmin() || !File.Exists("/bin/mount"))
        {
            Skip = "Mounting a tmpfs needs Linux, /bin/mount and CAP_SYS_ADMIN.";
        }
    }

    private static bool HasCapSysAdmin()
    {
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line.Substring(7).Trim(), System.Globalization.NumberStyles.HexNumber, null, out var caps)
            && (caps & (1UL << CapSysAdmin)) != 0;
    }
}
