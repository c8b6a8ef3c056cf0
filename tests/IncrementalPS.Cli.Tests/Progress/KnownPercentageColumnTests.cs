using System;
using System.IO;
using Spectre.Console;
using Spectre.Console.Rendering;
using Xunit;

namespace IncrementalPS.Cli.Tests.Progress;

/// <summary>The percentage beside incps run's progress bar on a terminal.</summary>
public sealed class KnownPercentageColumnTests
{
    [Fact]
    public void Is_blank_while_the_total_is_unknown_not_zero_percent()
    {
        var task = new ProgressTask(1, "job", maxValue: 1) { IsIndeterminate = true };
        task.Value = 0;

        Assert.Equal(string.Empty, Rendered(task));
    }

    [Fact]
    public void Shows_the_share_done_once_the_total_is_known()
    {
        var task = new ProgressTask(1, "job", maxValue: 200) { IsIndeterminate = false };
        task.Value = 50;

        Assert.Equal("25%", Rendered(task));
    }

    private static string Rendered(ProgressTask task)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
        });
        console.Write(new KnownPercentageColumn().Render(RenderOptions.Create(console), task, TimeSpan.Zero));
        return writer.ToString().Trim();
    }
}
