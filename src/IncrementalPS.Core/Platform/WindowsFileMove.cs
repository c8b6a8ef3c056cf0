using System;
using System.ComponentModel;
using System.IO;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// Renames a file over another on Windows with one MoveFileEx call. ReplaceFile, which File.Replace calls, is several
/// steps: on ERROR_UNABLE_TO_MOVE_REPLACEMENT (1176) it has already moved the target away, and on
/// ERROR_UNABLE_TO_MOVE_REPLACEMENT_2 (1177) the target survives only under another name. MoveFileEx with
/// MOVEFILE_REPLACE_EXISTING is a single rename on one volume: the target has the old content or the new, never none.
/// MOVEFILE_WRITE_THROUGH returns only once the rename is on disk (Windows has no directory flush to do it after).
/// </summary>
internal static class WindowsFileMove
{
    // winbase.h
    private const uint MoveFileReplaceExisting = 0x1;
    private const uint MoveFileWriteThrough = 0x8;

    // winerror.h
    private const int ErrorAccessDenied = 5;

    /// <summary>Renames <paramref name="source"/> over <paramref name="target"/>, replacing it if it exists. Windows only.</summary>
    /// <exception cref="UnauthorizedAccessException">Access denied (also what Windows says while the target is being deleted).</exception>
    /// <exception cref="IOException">Any other failure, with the Win32 error as HResult (0x8007xxxx).</exception>
    public static void MoveOver(string source, string target)
    {
        if (!RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            throw new PlatformNotSupportedException("MoveFileEx is a Windows call.");
        }

        if (!MoveFileEx(Extended(source), Extended(target), MoveFileReplaceExisting | MoveFileWriteThrough))
        {
            throw ErrorFor(Marshal.GetLastWin32Error(), source, target);
        }
    }

    /// <summary>The exception .NET would throw for <paramref name="error"/>, with the HResult that names it.</summary>
    internal static Exception ErrorFor(int error, string source, string target)
    {
        var message = $"Could not rename '{source}' over '{target}': {new Win32Exception(error).Message} (Win32 error {error}).";
        if (error == ErrorAccessDenied)
        {
            return new UnauthorizedAccessException(message);
        }

        return new IOException(message, HResultOf(error));
    }

    /// <summary>
    /// The full path, with the \\?\ prefix when it is MAX_PATH (260) characters or longer: .NET adds it for its own
    /// calls, a raw Win32 call without it fails there unless long paths are enabled machine-wide.
    /// </summary>
    internal static string Extended(string path) => WithLongPathPrefix(Path.GetFullPath(path));

    internal static string WithLongPathPrefix(string fullPath)
    {
        const int MaxPath = 260;
        if (fullPath.Length < MaxPath || fullPath.StartsWith(@"\\?\", StringComparison.Ordinal))
        {
            return fullPath;
        }

        return fullPath.StartsWith(@"\\", StringComparison.Ordinal) ? @"\\?\UNC\" + fullPath.Substring(2) : @"\\?\" + fullPath;
    }

    internal static int HResultOf(int win32Error) => unchecked((int)0x80070000 | (win32Error & 0xFFFF));

    // BOOL MoveFileExW(LPCWSTR lpExistingFileName, LPCWSTR lpNewFileName, DWORD dwFlags); kernel32, SetLastError.
    // SYSLIB1054: LibraryImport would need unsafe code; the netstandard2.0 build has only DllImport anyway.
#pragma warning disable SYSLIB1054
    [DllImport("kernel32.dll", EntryPoint = "MoveFileExW", CharSet = CharSet.Unicode, ExactSpelling = true, SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.System32)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool MoveFileEx(string lpExistingFileName, string lpNewFileName, uint dwFlags);
#pragma warning restore SYSLIB1054
}
