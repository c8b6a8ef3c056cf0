using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Text.Json.Nodes;
using IncrementalPS.Core.Tests.Support;
using Npgsql;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary><c>incps serve</c> over a real PostgreSQL store: the same JSON as <c>status --json</c>, live workers, no password.</summary>
public sealed class ServeSharedStoreTests : IDisposable
{
    // The test server trusts loopback, so it ignores a password; the connection string still carries one to leak.
    private const string Password = "pa55-in-the-connection-string";
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [PosixFact]
    public void Serve_shows_the_shared_store_as_status_json_does_with_workers_and_failed_items_and_no_password()
    {
        var store = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = Password }.ConnectionString;
        using var job = new Job();
        job.Incps("a\nb\n", Job.RunArgs("done-job", new[] { "--store", store, "--keep" }, job.MarkCommandFailingFor("b")));
        var status = job.Incps(string.Empty, "status", "--store", store, "--json");
        using var serve = ServeProcess.Start(job, new[] { "--store", store });
        using var client = new HttpClient();

        var checkpoints = client.GetStringAsync(new Uri(serve.Url, "api/checkpoints")).GetAwaiter().GetResult();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(status.Stdout), JsonNode.Parse(checkpoints)), $"status --json:\n{status.Stdout}\nserved:\n{checkpoints}");

        using var worker = job.Start(Job.RunArgs("live-job", new[] { "--store", store, "--total", "3" }, job.MarkCommand()));
        worker.Input.Write("x\n");
        worker.Input.Flush();
        string dashboard = string.Empty;
        Assert.True(
            worker.WaitUntil(() => (dashboard = client.GetStringAsync(new Uri(serve.Url, "api/dashboard")).GetAwaiter().GetResult()).Contains("live-job", StringComparison.Ordinal)
                && WorkerIds(dashboard, "live-job").Contains(worker.Id), IncpsProcess.DefaultTimeout),
            dashboard);
        worker.Input.Close();
        worker.WaitForResult(IncpsProcess.DefaultTimeout);

        using var document = JsonDocument.Parse(dashboard);
        var done = document.RootElement.GetProperty("checkpoints").EnumerateArray().Single(c => c.GetProperty("status").GetProperty("name").GetString() == "done-job");
        Assert.Equal("b", done.GetProperty("failedItems").EnumerateArray().Single().GetProperty("key").GetString());
        var metrics = client.GetAsync(new Uri(serve.Url, "metrics")).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        var page = client.GetStringAsync(serve.Url).GetAwaiter().GetResult();
        foreach (var text in new[] { checkpoints, dashboard, metrics.Content.ReadAsStringAsync().GetAwaiter().GetResult(), page, serve.Process.Stderr })
        {
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
        }
    }

    private static int[] WorkerIds(string dashboard, string name)
    {
        using var document = JsonDocument.Parse(dashboard);
        return document.RootElement.GetProperty("checkpoints").EnumerateArray()
            .Where(c => c.GetProperty("status").GetProperty("name").GetString() == name)
            .SelectMany(c => c.GetProperty("status").GetProperty("workers").EnumerateArray())
            .Select(w => w.GetProperty("processId").GetInt32())
            .ToArray();
    }
}
