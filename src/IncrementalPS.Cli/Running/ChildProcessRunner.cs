using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Threading;

namespace IncrementalPS.Cli;

/// <summary>
/// Runs the command for one item directly, without a shell: standard output is inherited (it passes straight
/// through, byte for byte) unless a line handler is given, standard error is read line by line, passed through and its tail kept, and standard input is closed at
/// once, because incps's own standard input is the list of items, which the command must not swallow.
/// </summary>
internal static class ChildProcessRunner
{
    /// <summary>
    /// Runs <paramref name="commandLine"/> and waits for it. <paramref name="stdoutLine"/>, when given, receives the
    /// standard output line by line instead of it being inherited. When <paramref name="cancellationToken"/> is cancelled the
    /// command and everything it started are killed, and the result reports how it ended.
    /// </summary>
    /// <exception cref="Win32Exception">The program could not be started.</exception>
    /// <exception cref="CommandFailedException">An item cannot be passed safely to a batch file (see <see cref="BatchFileCommandLine"/>).</exception>
    public static ChildProcessResult Run(
        IReadOnlyList<string> commandLine, Action<string> stderrLine, Action<string>? stdoutLine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        ArgumentNullException.ThrowIfNull(stderrLine);

        var startInfo = new ProcessStartInfo(commandLine[0])
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = stdoutLine is not null,
            RedirectStandardError = true,
        };
        if (!BatchFileCommandLine.TryApply(startInfo, commandLine))
        {
            for (var i = 1; i < commandLine.Count; i++)
            {
                startInfo.ArgumentList.Add(commandLine[i]);
            }
        }

        var tail = new StderrTail();
        using var process = new Process { StartInfo = startInfo };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                tail.Append(e.Data);
                stderrLine(e.Data);
            }
        };

        if (stdoutLine is not null)
        {
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data is not null)
                {
                    stdoutLine(e.Data);
                }
            };
        }

        process.Start();
        process.StandardInput.Close();
        process.BeginErrorReadLine();
        if (stdoutLine is not null)
        {
            process.BeginOutputReadLine();
        }

        using (cancellationToken.Register(static p => KillTree((Process)p!), process))
        {
            // The parameterless wait also waits for the redirected streams to be read to their end.
            process.WaitForExit();
        }

        return new ChildProcessResult(process.ExitCode, tail.ToString());
    }

    private static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited between the signal and the kill: nothing left to stop.
        }
        catch (Win32Exception)
        {
            // Part of the tree was already gone; the wait still returns once the child itself exits.
        }
    }
}
