using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace IncrementalPS.Cli;

/// <summary>
/// Finds the program to run the way a shell does: a name with a directory separator is a path, any other name is
/// looked up in the directories of PATH (never in the current directory, unless PATH says so explicitly).
/// Done once before the run, so that a mistyped command stops incps before it touches the checkpoint.
/// </summary>
internal static class ExecutableResolver
{
    /// <summary>The full path of <paramref name="program"/>, or null with <paramref name="problem"/> saying why not.</summary>
    public static string? Resolve(string program, out string? problem)
    {
        ArgumentException.ThrowIfNullOrEmpty(program);
        problem = null;
        if (program.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal) || program.Contains(Path.AltDirectorySeparatorChar, StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(program);
            if (IsExecutableFile(full))
            {
                return full;
            }

            problem = File.Exists(full) ? $"'{full}' is not executable" : $"'{full}' does not exist";
            return null;
        }

        foreach (var directory in SearchDirectories())
        {
            foreach (var candidate in Candidates(Path.Combine(directory, program)))
            {
                if (IsExecutableFile(candidate))
                {
                    return candidate;
                }
            }
        }

        problem = $"'{program}' was not found in any directory of PATH";
        return null;
    }

    private static IEnumerable<string> SearchDirectories()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        // An empty entry means the current directory to a POSIX shell; make it explicit.
        return path.Split(Path.PathSeparator).Select(d => d.Length == 0 ? "." : d).Select(Path.GetFullPath);
    }

    private static IEnumerable<string> Candidates(string path)
        => Candidates(path, OperatingSystem.IsWindows(), Environment.GetEnvironmentVariable("PATHEXT"));

    private static readonly string[] s_startable = [".COM", ".EXE", ".BAT", ".CMD"];

    /// <summary>
    /// The files that <paramref name="path"/> may name, in the order they are tried. On Windows the PATHEXT extensions
    /// come first, as cmd.exe tries them, and a name without an extension is never a program: npm puts an
    /// extensionless shell script beside <c>foo.cmd</c>, which Windows cannot run.
    /// </summary>
    internal static IEnumerable<string> Candidates(string path, bool windows, string? pathExt)
    {
        if (!windows)
        {
            yield return path;
            yield break;
        }

        // Only what CreateProcess starts (.com, .exe) and what incps hands to cmd.exe (.bat, .cmd): PATHEXT often lists
        // .vbs, .js or .py too, which need their host, so "foo" found as foo.py would fail every item.
        var extensions = Array.FindAll(
            (pathExt ?? ".COM;.EXE;.BAT;.CMD").Split(';', StringSplitOptions.RemoveEmptyEntries),
            e => Array.Exists(s_startable, s => string.Equals(s, e, StringComparison.OrdinalIgnoreCase)));
        var own = Path.GetExtension(path);
        if (own.Length > 0 && Array.Exists(extensions, e => string.Equals(e, own, StringComparison.OrdinalIgnoreCase)))
        {
            // "foo.cmd": already a program's name.
            yield return path;
            yield break;
        }

        foreach (var extension in extensions)
        {
            yield return path + extension;
        }

        if (own.Length > 0)
        {
            yield return path;
        }
    }

    private static bool IsExecutableFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        const UnixFileMode anyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;
        return (File.GetUnixFileMode(path) & anyExecute) != 0;
    }
}
