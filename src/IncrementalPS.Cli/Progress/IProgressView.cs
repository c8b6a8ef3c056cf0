using System;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>Shows a run's progress on standard error while the run's body executes.</summary>
internal interface IProgressView
{
    /// <summary>
    /// Runs <paramref name="body"/> while showing the progress read from <paramref name="snapshot"/>; messages written
    /// through <see cref="CliConsole"/> meanwhile appear without tearing the display.
    /// </summary>
    void Show(string name, Func<RunProgress> snapshot, Action body);
}
