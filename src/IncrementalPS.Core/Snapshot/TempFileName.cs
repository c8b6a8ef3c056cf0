using System;
using System.Collections.Generic;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// The name of the temporary file a rewrite of a file goes through, <c>.&lt;name&gt;.&lt;8 hex digits&gt;.tmp</c> in the
/// same directory, and the removal of the ones a killed rewrite left behind (each as large as the journal). Only names
/// that match the pattern for that very file exactly are touched: a file resembling it for another file is not.
/// </summary>
internal static class TempFileName
{
    private const int RandomLength = 8;
    private const string Extension = ".tmp";

    /// <summary>A new temporary file name for a rewrite of <paramref name="path"/>, in its directory.</summary>
    public static string For(string path)
    {
        var full = Path.GetFullPath(path);
        var random = Guid.NewGuid().ToString("N").Substring(0, RandomLength);
        return Path.Combine(Path.GetDirectoryName(full) ?? ".", "." + Path.GetFileName(full) + "." + random + Extension);
    }

    /// <summary>True when <paramref name="candidate"/> (a file name) is a temporary file of a rewrite of the file called <paramref name="fileName"/>.</summary>
    public static bool IsTempOf(string candidate, string fileName)
    {
        var prefix = "." + fileName + ".";
        if (candidate.Length != prefix.Length + RandomLength + Extension.Length
            || !candidate.StartsWith(prefix, StringComparison.Ordinal)
            || !candidate.EndsWith(Extension, StringComparison.Ordinal))
        {
            return false;
        }

        for (var i = prefix.Length; i < prefix.Length + RandomLength; i++)
        {
            if (candidate[i] is not ((>= '0' and <= '9') or (>= 'a' and <= 'f')))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Removes the temporary files left by rewrites of <paramref name="path"/> that were killed. Only for the holder
    /// of the checkpoint's lock: nobody else rewrites the file, so no live rewrite is using one. Returns how many.
    /// </summary>
    public static int RemoveStale(string path)
    {
        var removed = 0;
        foreach (var candidate in Find(path))
        {
            try
            {
                File.Delete(candidate);
                removed++;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A leftover that cannot be deleted (another user's, in a sticky directory) costs space, never
                // correctness: it must not stop the run that found it.
            }
        }

        return removed;
    }

    /// <summary>The temporary files of rewrites of <paramref name="path"/> that exist now, by full path.</summary>
    public static IEnumerable<string> Find(string path)
    {
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        var fileName = Path.GetFileName(full);
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        // The wildcard only narrows the listing; IsTempOf decides (a wildcard also matches 8.3 short names on Windows).
        foreach (var candidate in Directory.EnumerateFiles(directory, "." + fileName + ".*" + Extension))
        {
            if (IsTempOf(Path.GetFileName(candidate), fileName))
            {
                yield return candidate;
            }
        }
    }
}
