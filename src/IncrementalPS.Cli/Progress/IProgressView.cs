using System;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// Shows a run's progress on standard error while the run's body executes, reading it from a snapshot function;
/// messages written through <see cref="CliConsole"/> meanwhile appear without tearing the display.
/// </summary>
internal interface IProgressView
{
    /// <summary>
    /// True when the view redraws a live display on the terminal: then anything else printed on that terminal
    /// (the command's standard output too, when it is the same terminal) must go through the view.
    /// </summary>
    bool IsLive { get; }

    /// <summary>Runs the body while showing progress (see the interface remarks).</summary>
    void Show(string name, Func<RunProgress> snapshot, Action body);
}
