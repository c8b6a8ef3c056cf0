using System;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// A line whose key a PostgreSQL store cannot hold (a NUL character) is not run and said so; the other lines run, and
/// the run ends with exit code 1 and the checkpoint kept. It used to stop the run with the server's error.
/// </summary>
public sealed class SharedStoreKeyTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [PosixTheory]
    [InlineData("1")]
    [InlineData("2")]
    public void A_line_with_a_NUL_character_is_not_run_and_the_other_lines_are(string jobs)
    {
        using var job = new Job();

        var run = job.Incps("a\nx\0y\nb\n", Job.RunArgs(job.Name, new[] { "--store", _db.ConnectionString, "--jobs", jobs }, job.MarkCommand()));

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("not run: The item key 'x\\0y' cannot be recorded", run.Stderr, StringComparison.Ordinal);
        Assert.Contains("1 not run", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(new[] { "a", "b" }, job.Executions().Order());
        Assert.Equal(2L, _db.Scalar("SELECT count(*) FROM incrementalps.items WHERE status = 0"));
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.checkpoints"));
    }
}
