using System;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class ResetCommandTests
{
    [PosixFact]
    public void Reset_key_forgets_only_those_keys_so_that_they_run_again()
    {
        using var job = new Job();
        job.Incps(Job.Lines(Job.Items(3)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));

        var reset = job.Incps(string.Empty, "reset", job.Name, "--key", "item-001", "item-003");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(new[] { "item-002" }, CheckpointInspector.ReadItems(job.Location).Select(i => i.Key));
        job.Incps(Job.Lines(Job.Items(3)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        Assert.Equal(new[] { "item-001", "item-002", "item-003", "item-001", "item-003" }, job.Executions());
    }

    [PosixFact]
    public void Reset_key_warns_about_keys_that_are_not_in_the_checkpoint_instead_of_promising_they_run_again()
    {
        using var job = new Job();
        job.Incps(Job.Lines(Job.Items(2)), Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));

        var some = job.Incps(string.Empty, "reset", job.Name, "--key", "item-001", "Item-002");
        var none = job.Incps(string.Empty, "reset", job.Name, "--key", "no-such-item");

        Assert.True(some.ExitCode == 0, some.ToString());
        Assert.Contains("forgot 1 of 2 key(s)", some.Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: 1 of the 2 key(s) given are not in it, so nothing was forgotten for them", some.Stderr, StringComparison.Ordinal);
        Assert.True(none.ExitCode == 0, none.ToString());
        Assert.Contains("forgot 0 of 1 key(s) in '" + job.Name + "'.", none.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("processes them again", none.Stderr, StringComparison.Ordinal);
        Assert.Equal(new[] { "item-002" }, CheckpointInspector.ReadItems(job.Location).Select(i => i.Key));
    }

    [PosixFact]
    public void Removing_a_checkpoint_needs_force_when_nobody_can_be_asked()
    {
        using var job = new Job();
        job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));

        var refused = job.Incps(string.Empty, "reset", job.Name);
        Assert.True(refused.ExitCode == 2, refused.ToString());
        Assert.True(job.Location.Exists);

        var removed = job.Incps(string.Empty, "reset", job.Name, "--force");
        Assert.True(removed.ExitCode == 0, removed.ToString());
        Assert.False(job.Location.Exists);
    }

    [Fact]
    public void Resetting_a_missing_checkpoint_exits_2()
    {
        using var job = new Job();

        var result = job.Incps(string.Empty, "reset", "nothing-here", "--failed");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("No checkpoint exists", result.Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--force")]
    [InlineData(null)]
    public void Reset_on_a_file_that_is_not_a_checkpoint_exits_2_and_leaves_it(string? force)
    {
        using var job = new Job();
        var notes = System.IO.Path.Combine(job.Directory, "notes.txt");
        System.IO.File.WriteAllText(notes, "my notes\n");

        // Without --force (and nobody to ask) the refusal comes first, not a request for --force.
        var result = force is null
            ? job.Incps(string.Empty, "reset", "--path", notes)
            : job.Incps(string.Empty, "reset", "--path", notes, force);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not an IncrementalPS checkpoint", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("my notes\n", System.IO.File.ReadAllText(notes));
        Assert.False(System.IO.File.Exists(notes + ".lock"));
    }

    [PosixFact]
    public void Run_restart_on_a_file_that_is_not_a_checkpoint_exits_2_and_leaves_it()
    {
        using var job = new Job();
        var notes = System.IO.Path.Combine(job.Directory, "notes.txt");
        System.IO.File.WriteAllText(notes, "my notes\n");

        var result = job.Incps("a\n", new[] { "run", "--path", notes, "--restart", "--" }.Concat(job.MarkCommand()).ToArray());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("my notes\n", System.IO.File.ReadAllText(notes));
        Assert.Empty(job.Executions());
    }
}
