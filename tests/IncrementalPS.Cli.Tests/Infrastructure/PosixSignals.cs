using System.ComponentModel;
using System.Runtime.InteropServices;

namespace IncrementalPS.Cli.Tests;

/// <summary>Sends SIGINT, SIGTERM or SIGHUP to a process, as Ctrl+C in a terminal, systemd's stop or a closed terminal would.</summary>
internal static class PosixSignals
{
    public const int SigHup = 1;
    public const int SigInt = 2;
    public const int SigTerm = 15;

    public static void Send(int processId, int signal)
    {
        if (Kill(processId, signal) != 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError());
        }
    }

    // DllImport rather than LibraryImport: the generated marshalling needs unsafe code, and an int-only call needs none.
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int sig);
}
