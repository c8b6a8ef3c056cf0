using System;
using System.Globalization;
using System.IO;
using System.Linq;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// CPU seconds and context switches of this process (all its threads) and of a PostgreSQL server on this machine (its
/// postmaster, the postmaster's children alive now, and the children it already reaped), and the CPU seconds the whole
/// machine was busy (so that what other processes took shows), read from Linux's /proc.
/// </summary>
internal readonly record struct CpuSample(double ClientCpu, long ClientVoluntary, long ClientInvoluntary, double ServerCpu, long ServerVoluntary, long ServerInvoluntary, double MachineBusy)
{
    // USER_HZ: the unit of /proc/<pid>/stat's times; 100 on every Linux this runs on.
    private const double TicksPerSecond = 100;

    public static CpuSample Take(int postmaster)
    {
        var (clientCpu, _) = Times(Environment.ProcessId);
        var (clientVoluntary, clientInvoluntary) = ThreadSwitches(Environment.ProcessId);
        var (serverCpu, serverReaped) = Times(postmaster);
        var serverSwitches = Switches($"/proc/{postmaster}/status");
        var cpu = serverCpu + serverReaped;
        var voluntary = serverSwitches.Voluntary;
        var involuntary = serverSwitches.Involuntary;
        foreach (var child in Children(postmaster))
        {
            try
            {
                cpu += Times(child).Own;
                var switches = Switches($"/proc/{child}/status");
                voluntary += switches.Voluntary;
                involuntary += switches.Involuntary;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The child ended between the listing and the read: its time is in the postmaster's reaped time from now.
            }
        }

        return new CpuSample(clientCpu, clientVoluntary, clientInvoluntary, cpu, voluntary, involuntary, MachineBusySeconds());
    }

    public static CpuSample operator -(CpuSample a, CpuSample b) => new(
        a.ClientCpu - b.ClientCpu, a.ClientVoluntary - b.ClientVoluntary, a.ClientInvoluntary - b.ClientInvoluntary,
        a.ServerCpu - b.ServerCpu, a.ServerVoluntary - b.ServerVoluntary, a.ServerInvoluntary - b.ServerInvoluntary, a.MachineBusy - b.MachineBusy);

    /// <summary>The parent of <paramref name="pid"/> (a backend's parent is the postmaster).</summary>
    public static int Parent(int pid) => int.Parse(StatFields(pid)[1], CultureInfo.InvariantCulture);

    /// <summary>All cores' busy time so far: /proc/stat's first line, every field but idle and iowait.</summary>
    private static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        return (fields.Take(8).Sum() - fields[3] - fields[4]) / TicksPerSecond;
    }

    private static (double Own, double Reaped) Times(int pid)
    {
        var f = StatFields(pid);
        // Fields after "(comm)": state ppid … utime(14) stime(15) cutime(16) cstime(17), counted from 1 over the whole line.
        double At(int field) => long.Parse(f[field - 3], CultureInfo.InvariantCulture) / TicksPerSecond;
        return (At(14) + At(15), At(16) + At(17));
    }

    /// <summary>The fields of /proc/pid/stat after the command name (which may hold spaces): index 0 is field 3, state.</summary>
    private static string[] StatFields(int pid)
    {
        var line = File.ReadAllText($"/proc/{pid}/stat");
        return line.Substring(line.LastIndexOf(')') + 2).Split(' ');
    }

    private static (long Voluntary, long Involuntary) ThreadSwitches(int pid)
    {
        long voluntary = 0, involuntary = 0;
        foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
        {
            try
            {
                var s = Switches(Path.Combine(task, "status"));
                voluntary += s.Voluntary;
                involuntary += s.Involuntary;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A thread that ended meanwhile; its switches are lost, a few at most.
            }
        }

        return (voluntary, involuntary);
    }

    private static (long Voluntary, long Involuntary) Switches(string status)
    {
        long voluntary = 0, involuntary = 0;
        foreach (var line in File.ReadLines(status))
        {
            if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                voluntary = long.Parse(line.Substring(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
            }
            else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
            {
                involuntary = long.Parse(line.Substring(line.IndexOf(':') + 1).Trim(), CultureInfo.InvariantCulture);
            }
        }

        return (voluntary, involuntary);
    }

    private static int[] Children(int parent)
    {
        var children = File.Exists($"/proc/{parent}/task/{parent}/children")
            ? File.ReadAllText($"/proc/{parent}/task/{parent}/children")
            : string.Empty;
        return children.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
    }
}
