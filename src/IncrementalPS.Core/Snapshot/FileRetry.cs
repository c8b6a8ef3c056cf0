using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// Retries, for a few seconds, a file operation that Windows refused only because someone else has the file open for
/// a moment: an antivirus scanner, a backup agent, the search indexer or a sync client opening each new or changed
/// file without FILE_SHARE_DELETE. Anything else fails at once, as does everything on Unix, where these do not happen.
/// </summary>
internal static class FileRetry
{
    private static readonly TimeSpan s_window = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Tests only: how many of this thread's next operations fail first with a sharing violation, as a scanner holding
    /// the file makes them fail on Windows. Per thread, so that tests running in parallel do not see it.
    /// </summary>
    [ThreadStatic]
    internal static int SharingViolationsOnThisThread;

    /// <summary>Runs <paramref name="operation"/>, again while it fails for a moment (see the class).</summary>
    public static void Run(Action operation) => Run(() =>
    {
        operation();
        return true;
    });

    /// <summary>Runs <paramref name="operation"/>, again while it fails for a moment (see the class).</summary>
    public static T Run<T>(Func<T> operation)
    {
        var clock = Stopwatch.StartNew();
        var delay = 10;
        while (true)
        {
            try
            {
                if (SharingViolationsOnThisThread > 0)
                {
                    SharingViolationsOnThisThread--;
                    throw new IOException("The process cannot access the file because it is being used by another process.", SharingViolation);
                }

                return operation();
            }
            catch (Exception ex) when (IsTransient(ex) && clock.Elapsed < s_window)
            {
                Thread.Sleep(delay);
                delay = Math.Min(delay * 2, 500);
            }
        }
    }

    /// <summary>Deletes <paramref name="path"/> if it exists, retrying as <see cref="Run{T}"/> does.</summary>
    public static void Delete(string path) => Run(() =>
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    });

    private const int SharingViolation = unchecked((int)0x80070020);
    private const int LockViolation = unchecked((int)0x80070021);

    /// <summary>
    /// A sharing or lock violation (only Windows reports these HResults), or on Windows an access denied, which is also
    /// what a delete or rename meets while another handle is open on the file.
    /// </summary>
    public static bool IsTransient(Exception ex)
        => (ex is UnauthorizedAccessException && RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            || (ex is IOException io && (io.HResult == SharingViolation || io.HResult == LockViolation));
}
