using System;
using System.IO;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// Runs a command's action and turns the errors people can act on into a message on standard error and exit code 2.
/// The engine's messages already name the file (and the line, and the holder) and say what to do next.
/// </summary>
internal static class CliErrors
{
    /// <summary>Runs <paramref name="action"/>; returns its exit code, or 2 after reporting a usage, checkpoint or I/O error.</summary>
    public static int Run(Func<int> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        try
        {
            return action();
        }
        catch (UsageException ex)
        {
            CliConsole.Message(ex.Message);
            return ExitCodes.CouldNotRun;
        }
        catch (Exception ex) when (ex is ProgressFileException or MetricsFileException)
        {
            // A setup mistake found before the checkpoint was touched, like a usage error.
            CliConsole.Message(ex.Message);
            return ExitCodes.CouldNotRun;
        }
        catch (CheckpointException ex)
        {
            // The engine maps every I/O, access and path failure to its own types at one boundary.
            CliConsole.Message(ex.Message);
            return ExitCodes.CouldNotRun;
        }
    }
}
