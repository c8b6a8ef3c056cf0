using System;
using System.Threading;
using IncrementalPS.Core;
using Spectre.Console;

namespace IncrementalPS.Cli;

/// <summary>A live progress bar on standard error (Spectre.Console), for a person watching a terminal.</summary>
internal sealed class TerminalProgressView : IProgressView
{
    private static readonly TimeSpan s_refresh = TimeSpan.FromMilliseconds(250);

    private readonly IAnsiConsole _console;

    /// <summary>Creates the view over a console that draws on standard error.</summary>
    public TerminalProgressView(IAnsiConsole console)
    {
        _console = console;
    }

    /// <inheritdoc />
    public bool IsLive => true;

    /// <inheritdoc />
    public void Show(string name, Func<RunProgress> snapshot, Action body)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(body);
        var stats = new RunStatsColumn();
        _console.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 30 }, new KnownPercentageColumn(), stats)
            .Start(context =>
            {
                var task = context.AddTask(Markup.Escape(name), autoStart: true, maxValue: 1);
                task.IsIndeterminate = true;
                // Lines written meanwhile (the command's standard error, incps's notes) go through the live display,
                // which prints them above the bar instead of over it.
                using var redirect = CliConsole.RedirectTo(line => _console.Write(new Text(line + Environment.NewLine)));
                using var timer = new Timer(_ => Update(task, stats, snapshot()), null, TimeSpan.Zero, s_refresh);
                body();
                timer.Dispose();
                Update(task, stats, snapshot());
                task.StopTask();
            });
    }

    private static void Update(ProgressTask task, RunStatsColumn stats, RunProgress progress)
    {
        if (progress.Total is long total && total > 0)
        {
            task.IsIndeterminate = false;
            task.MaxValue = Math.Max(total, ProgressText.Done(progress));
            task.Value = ProgressText.Done(progress);
        }

        stats.Text = ProgressText.Describe(progress);
    }
}
