using System;
using System.IO;
using System.Linq;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// Every failure of the file system or of a path is the engine's own error, reported with the file and what to do,
/// never a runtime message ("Access denied", "(Parameter 'path')") or "failed unexpectedly".
/// </summary>
public sealed class EngineErrorTests
{
    [Fact]
    public void A_path_that_is_a_directory_is_refused_naming_it()
    {
        using var job = new Job();
        Directory.CreateDirectory(job.Store);

        var result = job.Incps("a\n", "run", "--path", job.Store, "--", "true");

        AssertCouldNotRun(result, job.Store, "is a directory");
    }

    [Fact]
    public void A_store_that_is_a_file_is_refused_naming_it()
    {
        using var job = new Job();
        var file = Path.Combine(job.Directory, "not-a-store");
        File.WriteAllText(file, "hello\n");

        var result = job.Incps("a\n", "run", "nightly", "--store", file, "--", "true");

        AssertCouldNotRun(result, file, "is a file");
        Assert.Equal("hello\n", File.ReadAllText(file));
    }

    [Fact]
    public void A_store_URI_that_does_not_parse_is_a_usage_error_without_the_password_or_a_parameter_tail()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", "nightly", "--store", "postgres://worker:Sekr3t-pw@db.example:notaport/jobs", "--", "true");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("not a valid connection string or postgres:// URI", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Sekr3t-pw", result.Stderr + result.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Status_of_a_store_that_is_a_file_is_an_error_not_an_empty_list()
    {
        using var job = new Job();
        var file = Path.Combine(job.Directory, "not-a-store");
        File.WriteAllText(file, "hello\n");

        var result = job.Incps(string.Empty, "status", "--store", file);

        AssertCouldNotRun(result, file, "is a file");
        Assert.DoesNotContain("no checkpoints", result.Stdout + result.Stderr, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void A_checkpoint_that_is_a_directory_is_refused_naming_it()
    {
        using var job = new Job();
        Directory.CreateDirectory(job.Location.FilePath);

        foreach (var args in new[]
        {
            new[] { "run", job.Name, "--", "true" },
            new[] { "status", job.Name },
            new[] { "items", job.Name },
            new[] { "reset", job.Name, "--failed" },
            new[] { "reset", job.Name, "--force" },
        })
        {
            var result = job.Incps("a\n", args);

            AssertCouldNotRun(result, job.Location.FilePath, "is a directory");
            Assert.True(Directory.Exists(job.Location.FilePath));
        }
    }

    [Fact]
    public void A_flipped_bit_in_the_header_is_reported_as_a_damaged_checkpoint_everywhere()
    {
        using var job = new Job();
        Assert.Equal(1, job.Incps("a\nb\n", Job.RunArgs(job.Name, ["--keep"], job.MarkCommandFailingFor("b"))).ExitCode);
        var bytes = File.ReadAllBytes(job.Location.FilePath);
        var at = System.Text.Encoding.ASCII.GetString(bytes).IndexOf("\"writer\":\"", StringComparison.Ordinal) + 10;
        bytes[at] = 0xFF;
        File.WriteAllBytes(job.Location.FilePath, bytes);

        foreach (var args in new[]
        {
            new[] { "run", job.Name, "--", "true" },
            new[] { "status", job.Name },
            new[] { "status" },
            new[] { "items", job.Name },
            new[] { "reset", job.Name, "--failed" },
        })
        {
            var result = job.Incps("a\n", args);

            AssertCouldNotRun(result, job.Location.FilePath, "is damaged at line 1");
            Assert.Equal(bytes, File.ReadAllBytes(job.Location.FilePath));
        }

        // The way out the message names: a header that still says it is ours is a damaged checkpoint, which
        // reset --force removes (a file that is no checkpoint at all is refused: NotACheckpointTests).
        Assert.Equal(0, job.Incps("", ["reset", job.Name, "--force"]).ExitCode);
        Assert.False(File.Exists(job.Location.FilePath));
    }

    [PosixFact]
    public void A_write_that_fails_mid_run_exits_3_and_keeps_what_was_recorded()
    {
        using var job = new Job();
        // Keys of about 250 characters make records of about 350 bytes: a 96 KiB file holds the in-flight file
        // (64 KiB) and about 250 of the 400 items' records.
        var items = Enumerable.Range(1, 400).Select(i => $"item-{i:000}-" + new string('x', 240)).ToList();

        var full = IncpsProcess.RunWithFileSizeLimit(job.Directory, job.Store, Job.RunArgs(job.Name, [], ["true"]), Job.Lines(items), limitKib: 96);

        Assert.True(full.ExitCode == 3, full.ToString());
        Assert.Contains("stopped by an error after the run started", full.Stderr, StringComparison.Ordinal);
        Assert.Contains(job.Location.FilePath, full.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpectedly", full.Stderr, StringComparison.Ordinal);
        var recorded = CheckpointInspector.ReadStatus(job.Location).Completed;
        Assert.InRange(recorded, 1, items.Count - 1);

        // Without the limit, the next run resumes: the items recorded before the failure are not run again.
        var resumed = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, [], job.MarkCommand()));
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Equal(items.Count - recorded, job.Executions().Count);
    }

    private static void AssertCouldNotRun(IncpsResult result, string path, string says)
    {
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(path, result.Stderr, StringComparison.Ordinal);
        Assert.Contains(says, result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Access", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("already exists", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpectedly", result.Stderr, StringComparison.Ordinal);
    }
}
