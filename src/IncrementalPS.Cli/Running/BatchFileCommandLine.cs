using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace IncrementalPS.Cli;

/// <summary>
/// Runs a .cmd or .bat file on Windows without letting an item reach cmd.exe as syntax ("BatBadBut"). Windows runs a
/// batch file through cmd.exe, which ignores the quoting that ProcessStartInfo.ArgumentList applies for programs: an
/// item such as <c>a&amp;calc</c> would run calc and <c>%PATH%</c> would expand. So incps starts cmd.exe itself with a
/// command line it builds: every argument cmd.exe could read as syntax is in double quotes, where &amp; | &lt; &gt; ^ ( )
/// are plain text; what even quotes do not protect (%, a double quote, CR, LF) is refused, failing that item only.
/// </summary>
internal static class BatchFileCommandLine
{
    /// <summary>True when <paramref name="program"/> is run by cmd.exe on Windows (a .bat or .cmd file).</summary>
    public static bool IsBatchFile(string program)
    {
        // Windows drops trailing dots and spaces from a file name: "run.bat. " is run.bat, run by cmd.exe all the same.
        var name = program.TrimEnd('.', ' ');
        return name.EndsWith(".cmd", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".bat", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// On Windows, for a batch file: points <paramref name="startInfo"/> at cmd.exe with the arguments built here and
    /// returns true. Otherwise returns false and leaves it alone.
    /// </summary>
    /// <exception cref="CommandFailedException">An argument holds a character cmd.exe would interpret even in quotes.</exception>
    public static bool TryApply(ProcessStartInfo startInfo, IReadOnlyList<string> commandLine)
    {
        if (!OperatingSystem.IsWindows() || !IsBatchFile(commandLine[0]))
        {
            return false;
        }

        startInfo.FileName = Path.Combine(Environment.SystemDirectory, "cmd.exe");
        startInfo.Arguments = Build(commandLine);
        return true;
    }

    /// <summary>
    /// The arguments for cmd.exe that run the batch file <c>commandLine[0]</c> with the other elements as its arguments:
    /// <c>/d /e:ON /v:OFF /s /c ""script" arg "a&amp;b""</c>. /d skips AutoRun commands, /v:OFF keeps '!' plain, and /s
    /// makes cmd.exe strip exactly the outer pair of quotes, whatever is inside.
    /// </summary>
    /// <exception cref="CommandFailedException">An argument holds %, a double quote, CR or LF.</exception>
    public static string Build(IReadOnlyList<string> commandLine)
    {
        var script = commandLine[0];
        if (script.Contains('%', StringComparison.Ordinal))
        {
            throw new CommandFailedException($"the batch file's path '{script}' holds '%', which cmd.exe would expand: not run. Move or rename it.");
        }

        var text = new StringBuilder("/d /e:ON /v:OFF /s /c \"\"").Append(script).Append('"');
        for (var i = 1; i < commandLine.Count; i++)
        {
            var argument = commandLine[i];
            if (argument.IndexOfAny(['%', '"', '\r', '\n']) is var bad and >= 0)
            {
                throw new CommandFailedException(
                    $"the argument '{argument}' holds {Describe(argument[bad])}, which cmd.exe interprets even in quotes, and " +
                    $"'{Path.GetFileName(script)}' is a batch file run by cmd.exe: not run. Run a program or a PowerShell script instead (pwsh -File).");
            }

            text.Append(' ');
            if (argument.EndsWith('\\'))
            {
                // A batch file that hands "%1" or %* on to a program (npm's shims call node.exe) would give it \" at
                // the end, which the program's own parser reads as a literal quote, joining the arguments after it.
                // Doubled, the backslashes stay backslashes to that parser (what Rust's std does for batch files).
                var trailing = argument.Length - argument.TrimEnd('\\').Length;
                text.Append('"').Append(argument).Append('\\', trailing).Append('"');
            }
            else if (NeedsQuotes(argument))
            {
                text.Append('"').Append(argument).Append('"');
            }
            else
            {
                text.Append(argument);
            }
        }

        return text.Append('"').ToString();
    }

    // Anything but these is syntax or a separator to cmd.exe (space, tab, ',', ';', '=' separate arguments).
    private static bool NeedsQuotes(string argument)
    {
        if (argument.Length == 0)
        {
            return true;
        }

        foreach (var c in argument)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '/' or '\\' or ':' or '+' or '@' or '#' or '~'))
            {
                return true;
            }
        }

        return false;
    }

    private static string Describe(char c) => c switch
    {
        '%' => "'%' (variable expansion)",
        '"' => "a double quote",
        '\r' => "a carriage return",
        _ => "a line feed",
    };
}
