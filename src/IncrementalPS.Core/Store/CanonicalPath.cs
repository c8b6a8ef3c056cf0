using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// One spelling per checkpoint file. The lock is a file beside the journal, so two paths to one journal (a symbolic
/// link to the file or to a directory above it) would take two different locks, and two runs would own one
/// checkpoint; a rewrite through a link would also replace the link with a file and split the checkpoint in two.
/// </summary>
internal static class CanonicalPath
{
    /// <summary><paramref name="fullPath"/> with its symbolic links resolved, as far as the platform allows.</summary>
    public static string Of(string fullPath)
    {
#if NET
        if (!System.OperatingSystem.IsWindows())
        {
            // The file itself when it exists (a link to it included); else its directory, with the name kept.
            if (UnixNative.RealPath(fullPath) is { } real)
            {
                return real;
            }

            var directory = Path.GetDirectoryName(fullPath);
            return directory is not null && UnixNative.RealPath(directory) is { } realDirectory
                ? Path.Combine(realDirectory, Path.GetFileName(fullPath))
                : fullPath;
        }

        // Windows: a symbolic link to the file itself (directory junctions are left as they are).
        var file = new FileInfo(fullPath);
        return file.Exists && file.LinkTarget is not null && file.ResolveLinkTarget(returnFinalTarget: true) is { } target
            ? target.FullName
            : fullPath;
#else
        // Windows PowerShell's build: links to checkpoint files are left as they are (see the README's notes).
        return fullPath;
#endif
    }
}
