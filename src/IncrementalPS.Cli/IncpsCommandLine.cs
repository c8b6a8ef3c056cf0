using System;
using System.CommandLine;
using System.CommandLine.Invocation;

namespace IncrementalPS.Cli;

/// <summary>
/// The incps command line: parses, reports usage errors with exit code 2 (System.CommandLine's default is 1, which
/// incps reserves for failed items), and invokes the chosen command.
/// </summary>
internal static class IncpsCommandLine
{
    private const string EndOfOptions = "--";

    /// <summary>Runs incps with <paramref name="args"/>; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);

        // Everything after the first "--" is the user's command, handed over untouched: the parser never sees it,
        // so its options ("-resize"), "@files" and "{}" cannot be mistaken for incps's own.
        var split = Array.IndexOf(args, EndOfOptions);
        var own = split < 0 ? args : args[..split];
        var command = split < 0 ? Array.Empty<string>() : args[(split + 1)..];

        var run = new RunCommand(command);
        var root = new RootCommand("incps: make any long job resumable. Runs a command once per input line under a checkpoint that survives Ctrl+C, crashes and reboots.")
        {
            run,
            new StatusCommand(),
            new ItemsCommand(),
            new ResetCommand(),
            new SuspendCommand(),
            new ServeCommand(),
        };

        var parsed = root.Parse(own, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parsed.Action is ParseErrorAction)
        {
            foreach (var error in parsed.Errors)
            {
                CliConsole.Message(error.Message);
            }

            var name = parsed.CommandResult.Command == root ? "incps" : "incps " + parsed.CommandResult.Command.Name;
            CliConsole.Message($"see '{name} --help'.");
            return ExitCodes.CouldNotRun;
        }

        if (split >= 0 && parsed.CommandResult.Command != run)
        {
            CliConsole.Message("'--' introduces the command of 'incps run'; the other commands take no command.");
            return ExitCodes.CouldNotRun;
        }

        // Signals are incps's own business (see TerminationSignals): the parser must not install its handler. Nor
        // its exception handler, which exits 1, the code that means "some items failed".
        var invocation = new InvocationConfiguration { ProcessTerminationTimeout = null, EnableDefaultExceptionHandler = false };
        try
        {
            return parsed.Invoke(invocation);
        }
        catch (Exception ex)
        {
            // A bug in incps or the engine, not a problem with the job. The checkpoint survives a crash, so the
            // run can be resumed once the cause is fixed.
            CliConsole.Error($"incps failed unexpectedly; please report this. The checkpoint can be resumed.{Environment.NewLine}{ex}");
            return ExitCodes.CouldNotRun;
        }
    }
}
