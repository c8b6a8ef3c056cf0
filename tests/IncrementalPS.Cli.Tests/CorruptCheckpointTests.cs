using System;
using System.IO;
using System.Linq;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class CorruptCheckpointTests
{
    [PosixTheory]
    [InlineData("run")]
    [InlineData("status")]
    [InlineData("items")]
    [InlineData("reset-failed")]
    public void A_damaged_checkpoint_exits_2_naming_file_and_line_and_stays_byte_for_byte_unchanged(string command)
    {
        using var job = new Job();
        var made = job.Incps(Job.Lines(Job.Items(5)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.True(made.ExitCode == 0, made.ToString());
        var file = job.Location.FilePath;
        var lines = File.ReadAllLines(file);
        Assert.True(lines.Length >= 5, "the checkpoint should hold a header, run and item records");
        lines[2] = "{\"type\":\"item-completed\",\"key\": this is not JSON";
        File.WriteAllText(file, string.Join("\n", lines) + "\n");
        var before = File.ReadAllBytes(file);

        var args = command switch
        {
            "run" => Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand()),
            "reset-failed" => new[] { "reset", job.Name, "--failed" },
            _ => new[] { command, job.Name },
        };
        var result = job.Incps(Job.Lines(Job.Items(6)), args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(file, result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 3", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal(5, job.Executions().Count);
    }

    [PosixFact]
    public void Reset_force_removes_a_damaged_checkpoint()
    {
        using var job = new Job();
        job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        var file = job.Location.FilePath;
        File.WriteAllLines(file, File.ReadAllLines(file).Select((l, i) => i == 1 ? "garbage" : l));

        var result = job.Incps(string.Empty, "reset", job.Name, "--force");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.False(File.Exists(file));
    }

    [PosixTheory]
    [InlineData("run")]
    [InlineData("reset")]
    [InlineData("reset-unforced")]
    public void A_foreign_file_at_the_in_flight_file_s_name_exits_2_naming_it_and_nothing_changes(string command)
    {
        using var job = new Job();
        var made = job.Incps(Job.Lines(Job.Items(3)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.True(made.ExitCode == 0, made.ToString());
        var file = job.Location.FilePath;
        var before = File.ReadAllBytes(file);
        File.WriteAllText(job.Location.InFlightPath, "my notes\n");

        // Without --force (and nobody to ask) the refusal comes first, not a request for --force that would only
        // lead to it.
        var result = command switch
        {
            "run" => job.Incps(Job.Lines(Job.Items(4)), Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommand())),
            "reset" => job.Incps(string.Empty, "reset", job.Name, "--force"),
            _ => job.Incps(string.Empty, "reset", job.Name),
        };

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(job.Location.InFlightPath, result.Stderr, StringComparison.Ordinal);
        Assert.Equal("my notes\n", File.ReadAllText(job.Location.InFlightPath));
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal(3, job.Executions().Count);
    }
}
