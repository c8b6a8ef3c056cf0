using System;
using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace IncrementalPS.Cli;

/// <summary>
/// On Windows, puts incps in a Job Object with JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE, so that the commands it starts (and
/// theirs), which inherit the job, die with it: Windows has no process group a parent's death reaches, and a killed
/// incps (Task Scheduler's End, taskkill /F) would otherwise leave them running on items now marked in flight.
/// The job's handle is never closed: the system closes it when incps exits, however it exits, and that is the trigger.
/// </summary>
internal static class WindowsJobObject
{
    // winnt.h
    private const uint JobObjectLimitKillOnJobClose = 0x00002000;

    // A command that starts a process with CREATE_BREAKAWAY_FROM_JOB (installers, some launchers) gets access denied
    // unless the job allows it; such a process then outlives incps by its own choice.
    private const uint JobObjectLimitBreakawayOk = 0x00000800;
    // JOBOBJECTINFOCLASS.JobObjectExtendedLimitInformation
    private const int JobObjectExtendedLimitInformation = 9;

    private static IntPtr s_job;

    /// <summary>The size marshalled for JOBOBJECT_EXTENDED_LIMIT_INFORMATION (tests: 144 bytes in a 64-bit process, 112 in a 32-bit one).</summary>
    internal static int ExtendedLimitInformationSize => Marshal.SizeOf<JobObjectExtendedLimitInformationData>();

    /// <summary>
    /// Makes the commands started from now on die with this process. Returns null on success (or off Windows), else why
    /// it could not (a job that allows no nested job, before Windows 8): the run goes on without that protection.
    /// </summary>
    public static string? KillChildrenWithThisProcess()
    {
        if (!OperatingSystem.IsWindows() || s_job != IntPtr.Zero)
        {
            return null;
        }

        var job = CreateJobObject(IntPtr.Zero, null);
        if (job == IntPtr.Zero)
        {
            return new Win32Exception(Marshal.GetLastWin32Error()).Message;
        }

        var limits = new JobObjectExtendedLimitInformationData();
        limits.BasicLimitInformation.LimitFlags = JobObjectLimitKillOnJobClose | JobObjectLimitBreakawayOk;
        var size = ExtendedLimitInformationSize;
        var buffer = Marshal.AllocHGlobal(size);
        try
        {
            Marshal.StructureToPtr(limits, buffer, fDeleteOld: false);
            using var self = Process.GetCurrentProcess();
            if (!SetInformationJobObject(job, JobObjectExtendedLimitInformation, buffer, (uint)size)
                || !AssignProcessToJobObject(job, self.Handle))
            {
                var error = Marshal.GetLastWin32Error();
                _ = CloseHandle(job);
                return new Win32Exception(error).Message;
            }
        }
        finally
        {
            Marshal.FreeHGlobal(buffer);
        }

        s_job = job;
        return null;
    }

    // JOBOBJECT_BASIC_LIMIT_INFORMATION: LARGE_INTEGER x2, DWORD, SIZE_T x2, DWORD, ULONG_PTR, DWORD x2 (natural alignment).
    [StructLayout(LayoutKind.Sequential)]
    private struct JobObjectBasicLimitInformation
    {
        public long PerProcessUserTimeLimit;
        public long PerJobUserTimeLimit;
        public uint LimitFlags;
        public UIntPtr MinimumWorkingSetSize;
        public UIntPtr MaximumWorkingSetSize;
        public uint ActiveProcessLimit;
        public UIntPtr Affinity;
        public uint PriorityClass;
        public uint SchedulingClass;
    }

    // IO_COUNTERS: six ULONGLONG.
    [StructLayout(LayoutKind.Sequential)]
    private struct IoCounters
    {
        public ulong ReadOperationCount;
        public ulong WriteOperationCount;
        public ulong OtherOperationCount;
        public ulong ReadTransferCount;
        public ulong WriteTransferCount;
        public ulong OtherTransferCount;
    }

    // JOBOBJECT_EXTENDED_LIMIT_INFORMATION: the basic limits, IO_COUNTERS, then four SIZE_T.
    [StructLayout(LayoutKind.Sequential)]
    private struct JobObjectExtendedLimitInformationData
    {
        public JobObjectBasicLimitInformation BasicLimitInformation;
        public IoCounters IoInfo;
        public UIntPtr ProcessMemoryLimit;
        public UIntPtr JobMemoryLimit;
        public UIntPtr PeakProcessMemoryUsed;
        public UIntPtr PeakJobMemoryUsed;
    }

    // SYSLIB1054: LibraryImport would need unsafe code for the same four calls.
#pragma warning disable SYSLIB1054
    // HANDLE CreateJobObjectW(LPSECURITY_ATTRIBUTES lpJobAttributes, LPCWSTR lpName);
    [DllImport("kernel32.dll", EntryPoint = "CreateJobObjectW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    private static extern IntPtr CreateJobObject(IntPtr lpJobAttributes, string? lpName);

    // BOOL SetInformationJobObject(HANDLE hJob, JOBOBJECTINFOCLASS JobObjectInformationClass, LPVOID lpJobObjectInformation, DWORD cbJobObjectInformationLength);
    [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool SetInformationJobObject(IntPtr hJob, int jobObjectInformationClass, IntPtr lpJobObjectInformation, uint cbJobObjectInformationLength);

    // BOOL AssignProcessToJobObject(HANDLE hJob, HANDLE hProcess);
    [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool AssignProcessToJobObject(IntPtr hJob, IntPtr hProcess);

    // BOOL CloseHandle(HANDLE hObject);
    [DllImport("kernel32.dll", ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CloseHandle(IntPtr hObject);
#pragma warning restore SYSLIB1054
}
