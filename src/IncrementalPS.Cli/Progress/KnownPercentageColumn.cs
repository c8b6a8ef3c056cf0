using System;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IncrementalPS.Cli;

/// <summary>
/// The percentage beside the bar, left blank while the total is unknown: Spectre's own column shows "0%" then, for a
/// run that may be far along.
/// </summary>
internal sealed class KnownPercentageColumn : ProgressColumn
{
    private readonly PercentageColumn _percentage = new();

    /// <inheritdoc />
    protected override bool NoWrap => true;

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        => task.IsIndeterminate ? Text.Empty : _percentage.Render(options, task, deltaTime);

    /// <inheritdoc />
    public override int? GetColumnWidth(RenderOptions options) => _percentage.GetColumnWidth(options);
}
