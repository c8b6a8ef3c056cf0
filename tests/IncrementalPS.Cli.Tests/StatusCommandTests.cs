using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class StatusCommandTests
{
    private static readonly string[] s_statusProperties =
    {
        "name", "path", "state", "completed", "failed", "inFlight", "total", "percentComplete", "rate", "etaSeconds",
        "startedAt", "updatedAt", "owner", "formatVersion", "runs", "workers", "error",
    };

    [PosixFact]
    public void Status_without_a_name_lists_every_checkpoint_in_the_store()
    {
        using var job = new Job();
        job.Incps("a\nb\n", Job.RunArgs("alpha", new[] { "--keep" }, job.MarkCommand()));
        job.Incps("a\n", Job.RunArgs("beta", Array.Empty<string>(), job.MarkCommandFailingFor("a")));

        var text = job.Incps(string.Empty, "status");
        var json = job.Incps(string.Empty, "status", "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        var lines = text.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("NAME", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^alpha\s+completed\s+2\s+0\s", lines[1]);
        Assert.Matches(@"^beta\s+failed\s+0\s+1\s", lines[2]);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(new[] { "alpha", "beta" }, document.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()));
    }

    [PosixFact]
    public void Status_json_has_exactly_the_documented_properties()
    {
        using var job = new Job();
        job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep", "--total", "4" }, job.MarkCommand()));

        var result = job.Incps(string.Empty, "status", job.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        var root = document.RootElement;
        Assert.Equal(s_statusProperties, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("completed", root.GetProperty("state").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("owner").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
        Assert.Equal(JsonValueKind.String, root.GetProperty("updatedAt").ValueKind);
        Assert.Equal(2, root.GetProperty("formatVersion").GetInt32());
    }

    [PosixFact]
    public void Status_json_names_the_owner_of_a_live_run()
    {
        using var job = new Job();
        using var run = job.StartHolding();

        var result = job.Incps(string.Empty, "status", job.Name, "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        Assert.Equal("running", document.RootElement.GetProperty("state").GetString());
        var owner = document.RootElement.GetProperty("owner");
        Assert.Equal(run.Id, owner.GetProperty("processId").GetInt32());
        Assert.StartsWith("incps ", owner.GetProperty("writer").GetString(), StringComparison.Ordinal);
        run.Input.Close();
        Assert.Equal(0, run.WaitForResult(IncpsProcess.DefaultTimeout).ExitCode);
    }

    [Fact]
    public void Status_of_a_missing_checkpoint_exits_2()
    {
        using var job = new Job();

        var result = job.Incps(string.Empty, "status", "nothing-here");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("No checkpoint exists", result.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void A_damaged_checkpoint_is_listed_as_unreadable_beside_the_others_and_the_exit_code_is_2()
    {
        using var job = new Job();
        job.Incps("a\n", Job.RunArgs("good", new[] { "--keep" }, job.MarkCommand()));
        File.WriteAllText(Path.Combine(job.Store, "broken" + IncrementalPS.Core.CheckpointStore.FileExtension), "not a checkpoint\n");

        var result = job.Incps(string.Empty, "status", "--json");

        Assert.True(result.ExitCode == 2, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        var rows = document.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e);
        Assert.Equal("unreadable", rows["broken"].GetProperty("state").GetString());
        Assert.Contains("broken", rows["broken"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal("completed", rows["good"].GetProperty("state").GetString());
    }

    [PosixFact]
    public void Status_after_an_interrupted_run_says_the_total_is_unknown_and_how_many_were_seen()
    {
        using var job = new Job();
        using (var run = job.StartHolding())
        {
            run.KillHard();
        }

        var text = job.Incps(string.Empty, "status", job.Name);
        var json = job.Incps(string.Empty, "status", job.Name, "--json");

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^Total:\s+unknown \(at least 1 seen\)$", text.Stdout);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("total").ValueKind);
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("percentComplete").ValueKind);
    }

    [PosixFact]
    public void Status_after_a_finished_run_gives_the_total_it_saw()
    {
        using var job = new Job();
        job.Incps("a\nb\nc\n", Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommandFailingFor("b")));

        var text = job.Incps(string.Empty, "status", job.Name);

        Assert.True(text.ExitCode == 0, text.ToString());
        Assert.Matches(@"(?m)^Total:\s+3 \(100\.0%\)$", text.Stdout);
    }
}
