using System;
using System.IO;
using System.Linq;
using System.Text;
using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>incps run/items/reset --key-hash, run --keep-for and reset --output.</summary>
public sealed class PrivacyCommandTests
{
    private const string Secret = "correct horse battery staple 42";

    [PosixFact]
    public void A_key_hash_run_stores_no_clear_key_and_resumes_with_the_secret_file()
    {
        using var job = new Job();
        var secret = WriteSecret(job, Secret);
        var items = Job.Lines(["alice@example.com", "bob@example.org"]);

        var first = job.Incps(items, Job.RunArgs(job.Name, ["--keep", "--key-hash", "--key-hash-secret-file", secret], job.MarkCommand()));
        Assert.True(first.ExitCode == 0, first.ToString());
        var text = File.ReadAllText(job.Location.FilePath);
        Assert.DoesNotContain("example", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);

        var again = job.Incps(items + "carol@example.net\n", Job.RunArgs(job.Name, ["--keep", "--key-hash", "--key-hash-secret-file", secret], job.MarkCommand()));
        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Equal(["alice@example.com", "bob@example.org", "carol@example.net"], job.Executions());
    }

    [PosixFact]
    public void A_key_hash_checkpoint_refuses_a_run_without_the_secret_or_with_another_and_exits_2()
    {
        using var job = new Job();
        var secret = WriteSecret(job, Secret);
        var other = WriteSecret(job, "another secret, also long enough", "other.txt");
        job.Incps("a\n", Job.RunArgs(job.Name, ["--keep", "--key-hash", "--key-hash-secret-file", secret], job.MarkCommand()));
        var before = File.ReadAllBytes(job.Location.FilePath);

        var none = job.Incps("b\n", Job.RunArgs(job.Name, ["--keep"], job.MarkCommand()));
        var wrong = job.Incps("b\n", Job.RunArgs(job.Name, ["--keep", "--key-hash", "--key-hash-secret-file", other], job.MarkCommand()));

        Assert.True(none.ExitCode == 2, none.ToString());
        Assert.Contains(job.Location.FilePath, none.Stderr, StringComparison.Ordinal);
        Assert.True(wrong.ExitCode == 2, wrong.ToString());
        Assert.Contains("not the one", wrong.Stderr, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(job.Location.FilePath));
        Assert.Equal(["a"], job.Executions());
    }

    [PosixFact]
    public void Items_and_reset_take_the_clear_key_with_key_hash()
    {
        using var job = new Job();
        var secret = WriteSecret(job, Secret);
        job.Incps(Job.Lines(["alice@example.com", "bob@example.org"]), Job.RunArgs(job.Name, ["--keep", "--key-hash", "--key-hash-secret-file", secret], job.MarkCommand()));

        var found = job.Incps(string.Empty, "items", job.Name, "--key", "bob@example.org", "--key-hash", "--key-hash-secret-file", secret, "--json");
        var reset = job.Incps(string.Empty, "reset", job.Name, "--key", "alice@example.com", "--key-hash", "--key-hash-secret-file", secret);

        Assert.True(found.ExitCode == 0, found.ToString());
        Assert.Matches("[0-9a-f]{64}", found.Stdout);
        Assert.DoesNotContain("example", found.Stdout, StringComparison.Ordinal);
        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Contains("forgot 1 of 1", reset.Stderr, StringComparison.Ordinal);
        Assert.Single(CheckpointInspector.ReadItems(job.Location));
    }

    [PosixFact]
    public void Reset_output_drops_saved_texts_and_keeps_states()
    {
        using var job = new Job();
        job.Incps(Job.Lines(["a", "b"]), Job.RunArgs(job.Name, ["--keep"], job.MarkCommandFailingFor("b")));
        var states = CheckpointInspector.ReadItems(job.Location).Select(i => (i.Key, i.State)).ToList();

        var reset = job.Incps(string.Empty, "reset", job.Name, "--output");

        Assert.True(reset.ExitCode == 0, reset.ToString());
        Assert.Equal(states, CheckpointInspector.ReadItems(job.Location).Select(i => (i.Key, i.State)).ToList());
        Assert.Equal("(error text removed)", CheckpointInspector.ReadItems(job.Location, ItemState.Failed).Single().Error!.Message);
    }

    [Fact]
    public void Reset_output_refuses_a_file_that_is_not_a_checkpoint_and_leaves_it()
    {
        using var job = new Job();
        var notes = Path.Combine(job.Directory, "notes.txt");
        File.WriteAllText(notes, "my notes\n");

        var result = job.Incps(string.Empty, "reset", "--path", notes, "--output");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Equal("my notes\n", File.ReadAllText(notes));
        Assert.False(File.Exists(notes + ".lock"));
    }

    [Fact]
    public void Keep_for_needs_keep()
    {
        using var job = new Job();

        var result = job.Incps("a\n", "run", job.Name, "--keep-for", "30d", "--", "true");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--keep", result.Stderr, StringComparison.Ordinal);
    }

    private static string WriteSecret(Job job, string secret, string name = "secret.txt")
    {
        var path = Path.Combine(job.Directory, name);
        File.WriteAllText(path, secret + "\n", new UTF8Encoding(false));
        return path;
    }
}
