using System;
using System.Threading;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace IncrementalPS.Cli;

/// <summary>The progress bar's text column: done/total, failed, rate and ETA, as <see cref="ProgressText"/> words them.</summary>
internal sealed class RunStatsColumn : ProgressColumn
{
    private string _text = string.Empty;

    /// <summary>The text shown; set from the refresh timer, read by the render thread.</summary>
    public string Text
    {
        get => Volatile.Read(ref _text);
        set => Volatile.Write(ref _text, value);
    }

    /// <inheritdoc />
    protected override bool NoWrap => true;

    /// <inheritdoc />
    public override IRenderable Render(RenderOptions options, ProgressTask task, TimeSpan deltaTime)
        => new Text(Text) { Overflow = Overflow.Ellipsis };
}
