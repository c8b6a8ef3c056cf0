using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class RunCommandTests
{
    [PosixFact]
    public void Every_line_runs_once_with_its_output_passed_through_and_the_checkpoint_removed()
    {
        using var job = new Job();

        var result = job.Incps("a\nb b\nc\n", "run", job.Name, "--", "echo", "processed", "{}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("processed a\nprocessed b b\nprocessed c\n", result.Stdout);
        Assert.Contains("done: 3 completed, 0 failed", result.Stderr, StringComparison.Ordinal);
        Assert.False(job.Location.Exists);
    }

    [PosixFact]
    public void Item_is_appended_when_the_command_has_no_placeholder()
    {
        using var job = new Job();

        var result = job.Incps("x\ny\n", "run", job.Name, "--", "echo", "got");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("got x\ngot y\n", result.Stdout);
    }

    [PosixFact]
    public void Nul_separated_input_keeps_items_with_spaces_and_line_breaks_whole()
    {
        using var job = new Job();

        var result = job.Incps("one two\0three\nfour\0", "run", job.Name, "-0", "--", "printf", "[%s]", "{}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("[one two][three\nfour]\n", result.Stdout);
    }

    [PosixFact]
    public void A_kept_checkpoint_makes_the_next_run_skip_done_items_and_run_only_new_ones()
    {
        using var job = new Job();
        var first = job.Incps(Job.Lines(Job.Items(3)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.True(first.ExitCode == 0, first.ToString());

        var second = job.Incps(Job.Lines(Job.Items(5)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(Job.Items(5), job.Executions());
        Assert.Contains("3 skipped", second.Stderr, StringComparison.Ordinal);
        Assert.Equal(5, CheckpointInspector.ReadStatus(job.Location).Completed);
    }

    [PosixFact]
    public void Jobs_run_items_concurrently_and_every_item_is_recorded_exactly_once()
    {
        using var job = new Job();
        var items = Job.Items(40);

        var result = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, new[] { "--jobs", "4", "--keep" }, job.MarkCommand("0.02")));

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(items.OrderBy(i => i, StringComparer.Ordinal), job.Executions().OrderBy(i => i, StringComparer.Ordinal));
        var recorded = CheckpointInspector.ReadItems(job.Location);
        Assert.Equal(items.OrderBy(i => i, StringComparer.Ordinal), recorded.Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal));
        Assert.All(recorded, item => Assert.Equal(ItemState.Completed, item.State));
    }

    [PosixFact]
    public void The_commands_stderr_passes_through_to_stderr()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--", "/bin/sh", "-c", "echo \"warning about $1\" >&2", "sh", "{}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning about a", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.Stdout);
    }

    [PosixFact]
    public void The_command_does_not_read_the_item_list_from_standard_input()
    {
        using var job = new Job();

        // cat would swallow the remaining items if it inherited incps's standard input.
        var result = job.Incps("a\nb\nc\n", "run", job.Name, "--", "/bin/sh", "-c", "cat; echo \"$1\"", "sh", "{}");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("a\nb\nc\n", result.Stdout);
    }

    [Fact]
    public void An_unknown_program_exits_2_before_the_checkpoint_is_created()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--", "incps-no-such-program");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("'incps-no-such-program' was not found", result.Stderr, StringComparison.Ordinal);
        Assert.False(job.Location.Exists);
    }

    [Theory]
    [InlineData("run", "job", "echo", "{}")]
    [InlineData("run", "job", "--jobs", "0", "--", "echo")]
    [InlineData("run", "job", "--")]
    [InlineData("run", "bad/name", "--", "echo")]
    [InlineData("run", "job", "--retry-delay", "soon", "--", "echo")]
    [InlineData("run", "--", "echo")]
    [InlineData("status", "--", "x")]
    [InlineData("frobnicate")]
    public void Bad_usage_exits_2_with_a_message_and_changes_nothing(params string[] args)
    {
        using var job = new Job();

        var result = job.Incps("a\n", args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.StartsWith("incps: ", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(job.Store) && Directory.EnumerateFileSystemEntries(job.Store).Any());
    }

    [PosixFact]
    public void Path_option_keeps_the_checkpoint_in_the_given_file()
    {
        using var job = new Job();
        var file = Path.Combine(job.Directory, "nightly.checkpoint.jsonl");

        var result = job.Incps("a\n", "run", "--path", file, "--keep", "--", "true");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(file));
        Assert.Equal(1, CheckpointInspector.ReadStatus(CheckpointLocation.FromPath(file)).Completed);
    }

    [PosixFact]
    public void Progress_is_plain_text_on_redirected_stderr_and_stdout_holds_only_the_commands_output()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--", "echo", "{}");

        Assert.Equal("a\n", result.Stdout);
        Assert.DoesNotContain("\u001b[", result.Stderr, StringComparison.Ordinal);
        Assert.All(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), line => Assert.StartsWith("incps: ", line, StringComparison.Ordinal));
    }

    [PosixFact]
    public void A_line_holding_a_nul_fails_instead_of_running_only_its_first_part()
    {
        using var job = new Job();

        // NUL-separated input given without -0: one "line" holding every item.
        var result = job.Incps("f1\0f2\0f3\0", "run", job.Name, "--", "echo");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(string.Empty, result.Stdout);
        var failed = Assert.Single(CheckpointInspector.ReadItems(job.Location, ItemState.Failed));
        Assert.Contains("-0/--null", failed.Error!.Message, StringComparison.Ordinal);
    }

    [PosixFact]
    public void An_unknown_option_is_named_as_such()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--job", "2", "--", "true");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("unknown option '--job'", result.Stderr, StringComparison.Ordinal);
        Assert.False(job.Location.Exists);
    }
}
