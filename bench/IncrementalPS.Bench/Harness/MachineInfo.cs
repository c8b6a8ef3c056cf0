using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace IncrementalPS.Bench.Harness;

/// <summary>The machine a run was measured on, as the report shows it.</summary>
internal sealed class MachineInfo
{
    public required string Cpu { get; init; }

    public required int LogicalCores { get; init; }

    public required string OperatingSystem { get; init; }

    public required string Runtime { get; init; }

    public required string FileSystem { get; init; }

    /// <summary>The 1, 5 and 15 minute load averages when the run started: other work on the machine shows in the figures.</summary>
    public required string LoadAverage { get; init; }

    /// <summary>The speed of the cores when the run started (<see cref="ReferenceStepNs"/>).</summary>
    public required double StepNs { get; init; }

    /// <summary>The speed of memory when the run started (<see cref="MemoryReadNs"/>).</summary>
    public required double MemoryNs { get; init; }

    private const int ReferenceSteps = 50_000_000;
    private const int ChaseSlots = 4 << 20;
    private const int ChaseSteps = 5_000_000;
    private static ulong s_sink;

    public static MachineInfo Describe(string workDirectory) => new()
    {
        Cpu = ProcField("/proc/cpuinfo", "model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        LogicalCores = Environment.ProcessorCount,
        OperatingSystem = Kernel() is { } kernel ? $"{OsRelease() ?? RuntimeInformation.OSDescription}, Linux {kernel}" : RuntimeInformation.OSDescription,
        Runtime = $"{RuntimeInformation.FrameworkDescription} ({RuntimeInformation.RuntimeIdentifier})",
        FileSystem = MountOf(workDirectory),
        LoadAverage = ReadLoadAverage(),
        StepNs = ReferenceStepNs(),
        MemoryNs = MemoryReadNs(),
    };

    /// <summary>Both speeds, as the bench prints them beside its figures.</summary>
    public static string DescribeSpeed()
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"core {ReferenceStepNs():F2} ns per step, memory {MemoryReadNs():F1} ns per read");

    /// <summary>
    /// Nanoseconds per step of a fixed integer loop (xorshift, no memory), the best of three rounds. The virtual machine
    /// these figures come from changes speed by up to 2x from one hour to the next with its host's load, which neither
    /// the load average nor the steal time shows; this does, so that figures taken at different speeds are not compared.
    /// </summary>
    public static double ReferenceStepNs()
    {
        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var x = 88172645463325252UL;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < ReferenceSteps; i++)
            {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
            }

            clock.Stop();
            s_sink ^= x;
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1e6 / ReferenceSteps);
        }

        return best;
    }

    /// <summary>
    /// Nanoseconds per read of a random walk through 32 MB (each read waits for the one before, and most miss every
    /// cache), the best of three: memory's speed, which a busy neighbour on the host slows where the core's may not.
    /// </summary>
    public static double MemoryReadNs()
    {
        // Sattolo's shuffle: one cycle through every slot, so the walk never settles into a cached loop.
        var next = new int[ChaseSlots];
        for (var i = 0; i < next.Length; i++)
        {
            next[i] = i;
        }

        var random = new Random(17);
        for (var i = next.Length - 1; i > 0; i--)
        {
            var j = random.Next(i);
            (next[i], next[j]) = (next[j], next[i]);
        }

        var best = double.MaxValue;
        for (var round = 0; round < 3; round++)
        {
            var at = 0;
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < ChaseSteps; i++)
            {
                at = next[at];
            }

            clock.Stop();
            s_sink ^= (ulong)at;
            best = Math.Min(best, clock.Elapsed.TotalMilliseconds * 1e6 / ChaseSteps);
        }

        return best;
    }

    /// <summary>The 1, 5 and 15 minute load averages now (Linux), or "n/a".</summary>
    public static string ReadLoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string? Kernel() => File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : null;

    private static string? OsRelease()
    {
        var pretty = ProcField("/etc/os-release", "PRETTY_NAME");
        return pretty?.Trim('"');
    }

    private static string? ProcField(string file, string name)
    {
        if (!File.Exists(file))
        {
            return null;
        }

        var line = File.ReadLines(file).FirstOrDefault(l => l.StartsWith(name, StringComparison.Ordinal));
        var separator = line?.IndexOfAny([':', '=']) ?? -1;
        return separator < 0 ? null : line![(separator + 1)..].Trim();
    }

    /// <summary>The file system holding <paramref name="directory"/>: the longest mount point that contains it.</summary>
    private static string MountOf(string directory)
    {
        var full = Path.GetFullPath(directory);
        if (!File.Exists("/proc/mounts"))
        {
            return $"unknown (work directory {full})";
        }

        var mount = File.ReadLines("/proc/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length >= 3 && IsUnder(full, f[1]))
            .OrderByDescending(f => f[1].Length)
            .FirstOrDefault();
        return mount is null ? $"unknown (work directory {full})" : $"{mount[2]} on {mount[0]}, mounted at {mount[1]} (work directory {full})";
    }

    private static bool IsUnder(string path, string mountPoint)
        => mountPoint == "/" || path == mountPoint || path.StartsWith(mountPoint + "/", StringComparison.Ordinal);
}
