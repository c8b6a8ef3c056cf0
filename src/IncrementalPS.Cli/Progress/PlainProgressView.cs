using System;
using System.Threading;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// For standard error that is not a terminal (cron mail, journald, a log file): a plain line every few seconds,
/// so that a log shows the job is alive and how far it got, without escape sequences.
/// </summary>
internal sealed class PlainProgressView : IProgressView
{
    /// <summary>How often a line is written.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly TimeSpan _interval;

    /// <summary>Creates the view.</summary>
    public PlainProgressView(TimeSpan interval)
    {
        _interval = interval;
    }

    /// <inheritdoc />
    public bool IsLive => false;

    /// <inheritdoc />
    public void Show(string name, Func<RunProgress> snapshot, Action body)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(body);
        using var timer = new Timer(_ => CliConsole.Message($"{name}: {ProgressText.Describe(snapshot())}"), null, _interval, _interval);
        body();
    }
}
