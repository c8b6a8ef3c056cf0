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

        // Interactive regardless of standard input: incps's input is the item list (usually a pipe), and the bar
        // needs only a terminal to draw on, not one to read from.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Console.Error),
            Interactive = InteractionSupport.Yes,
        });
        // A terminal without cursor movement (TERM=dumb) cannot redraw a bar in place.
        return console.Profile.Capabilities.Ansi
            ? new TerminalProgressView(console)
            : new PlainProgressView(PlainProgressView.DefaultInterval);
    }
}
