using System;
using Spectre.Console;

namespace IncrementalPS.Cli;

/// <summary>Chooses how to show progress: a live bar when standard error is a terminal, plain lines otherwise.</summary>
internal static class ProgressViews
{
    /// <summary>The view for this process's standard error.</summary>
    public static IProgressView ForStandardError()
    {
        if (Console.IsErrorRedirected)
        {
            return new PlainProgressView(PlainProgressView.DefaultInterval);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        // A terminal without cursor movement (TERM=dumb) cannot redraw a bar in place.
        return console.Profile.Capabilities.Ansi && console.Profile.Capabilities.Interactive
            ? new TerminalProgressView(console)
            : new PlainProgressView(PlainProgressView.DefaultInterval);
    }
}
