using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class ServeCommandTests
{
    private const string Token = "0123456789abcdef-serve-test-token";

    [PosixFact]
    public void Api_checkpoints_is_the_json_of_status_json()
    {
        using var job = new Job();
        job.Incps("a\nb\n", Job.RunArgs("alpha", new[] { "--keep" }, job.MarkCommand()));
        job.Incps("a\n", Job.RunArgs("beta", Array.Empty<string>(), job.MarkCommandFailingFor("a")));
        var status = job.Incps(string.Empty, "status", "--json");
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();

        var response = client.GetAsync(new Uri(serve.Url, "api/checkpoints")).GetAwaiter().GetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = JsonNode.Parse(response.Content.ReadAsStringAsync().GetAwaiter().GetResult());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(status.Stdout), served), $"status --json:\n{status.Stdout}\nserved:\n{served}");
    }

    [PosixFact]
    public void Metrics_are_every_checkpoint_in_prometheus_text_that_promtool_accepts()
    {
        using var job = new Job();
        job.Incps("a\nb\n", Job.RunArgs("alpha", new[] { "--keep" }, job.MarkCommand()));
        job.Incps("a\n", Job.RunArgs("beta", Array.Empty<string>(), job.MarkCommandFailingFor("a")));
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();

        var response = client.GetAsync(new Uri(serve.Url, "metrics")).GetAwaiter().GetResult();
        var text = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("0.0.4", response.Content.Headers.ContentType?.Parameters.Single(p => p.Name == "version").Value);
        Assert.Equal(string.Empty, Core.Tests.Support.Promtool.Check(text));
        var lines = text.Split('\n');
        Assert.Contains("incrementalps_items_completed{checkpoint=\"alpha\"} 2", lines);
        Assert.Contains("incrementalps_items_failed{checkpoint=\"beta\"} 1", lines);
    }

    [PosixFact]
    public void A_key_with_markup_is_served_as_escaped_json_text()
    {
        using var job = new Job();
        const string key = "<script>alert('x')</script>&";
        job.Incps(key + "\n", Job.RunArgs(job.Name, Array.Empty<string>(), job.MarkCommandFailingFor(key)));
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();

        var body = client.GetStringAsync(new Uri(serve.Url, "api/dashboard")).GetAwaiter().GetResult();

        Assert.DoesNotContain("<", body, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(body);
        var item = document.RootElement.GetProperty("checkpoints")[0].GetProperty("failedItems")[0];
        Assert.Equal(key, item.GetProperty("key").GetString());
    }

    [PosixFact]
    public void The_page_is_served_with_a_policy_that_allows_only_its_own_script_and_style()
    {
        using var job = new Job();
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();

        var response = client.GetAsync(serve.Url).GetAwaiter().GetResult();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = string.Join(' ', response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Matches(@"script-src 'sha256-[A-Za-z0-9+/=]+';", policy);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [PosixFact]
    public void Another_address_than_loopback_is_refused_without_a_token()
    {
        using var job = new Job();

        var result = job.Incps(string.Empty, "serve", "--store", job.Store, "--listen", "0.0.0.0:" + ServeProcess.FreePort());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("is not loopback", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("--token-file", result.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void A_store_that_is_a_file_is_refused_at_start_naming_it()
    {
        using var job = new Job();
        var file = Path.Combine(job.Directory, "not-a-store");
        File.WriteAllText(file, "hello\n");

        var result = job.Incps(string.Empty, "serve", "--store", file, "--listen", "127.0.0.1:" + ServeProcess.FreePort());

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("the store is a file", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("hello\n", File.ReadAllText(file));
    }

    [PosixFact]
    public void A_token_too_short_to_resist_guessing_is_refused()
    {
        using var job = new Job();
        var file = Path.Combine(job.Directory, "token");
        File.WriteAllText(file, "short\n");

        var result = job.Incps(string.Empty, "serve", "--store", job.Store, "--listen", "127.0.0.1:" + ServeProcess.FreePort(), "--token-file", file);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("at least 16", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("short", result.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void With_a_token_every_path_needs_it_as_a_bearer_header_or_a_query_parameter()
    {
        using var job = new Job();
        job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        var file = Path.Combine(job.Directory, "token");
        File.WriteAllText(file, Token + "\n");
        using var serve = ServeProcess.Start(job, new[] { "--token-file", file });
        using var client = new HttpClient();

        var paths = new[] { string.Empty, "api/checkpoints", "api/dashboard", "nothing-here" };
        foreach (var path in paths)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, client.GetAsync(new Uri(serve.Url, path)).GetAwaiter().GetResult().StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, Get(client, new Uri(serve.Url, path), Token + "x").StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, client.GetAsync(new Uri(serve.Url, path + "?token=" + Token[..^1])).GetAwaiter().GetResult().StatusCode);
        }

        var byHeader = Get(client, new Uri(serve.Url, "api/checkpoints"), Token);
        var byQuery = client.GetAsync(new Uri(serve.Url, "api/checkpoints?token=" + Token)).GetAwaiter().GetResult();
        var page = client.GetAsync(new Uri(serve.Url, "?token=" + Token)).GetAwaiter().GetResult();

        Assert.Equal(HttpStatusCode.OK, byHeader.StatusCode);
        Assert.Equal(HttpStatusCode.OK, byQuery.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        foreach (var response in new[] { byHeader, byQuery, page })
        {
            Assert.DoesNotContain(Token, response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain(Token, serve.Process.Stderr, StringComparison.Ordinal);
    }

    [PosixFact]
    public void The_token_can_come_from_the_environment()
    {
        using var job = new Job();
        using var serve = ServeProcess.Start(job, environment: new Dictionary<string, string> { ["INCREMENTALPS_SERVE_TOKEN"] = Token });
        using var client = new HttpClient();

        Assert.Equal(HttpStatusCode.Unauthorized, client.GetAsync(new Uri(serve.Url, "api/checkpoints")).GetAwaiter().GetResult().StatusCode);
        Assert.Equal(HttpStatusCode.OK, Get(client, new Uri(serve.Url, "api/checkpoints"), Token).StatusCode);
    }

    [PosixFact]
    public void A_request_naming_another_host_is_not_answered_on_loopback()
    {
        // A web page whose own name resolves to 127.0.0.1 (DNS rebinding) sends its own name as Host.
        using var job = new Job();
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serve.Url, "api/checkpoints"));
        request.Headers.Host = "attacker.example";

        var response = client.Send(request);

        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
        var local = client.GetAsync(new Uri($"http://localhost:{serve.Url.Port}/api/checkpoints")).GetAwaiter().GetResult();
        Assert.Equal(HttpStatusCode.OK, local.StatusCode);
    }

    [PosixFact]
    public void Requests_that_would_change_anything_are_refused()
    {
        using var job = new Job();
        job.Incps("a\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand()));
        var before = File.ReadAllBytes(job.Location.FilePath);
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();

        foreach (var method in new[] { HttpMethod.Post, HttpMethod.Put, HttpMethod.Delete })
        {
            using var request = new HttpRequestMessage(method, new Uri(serve.Url, "api/checkpoints")) { Content = new StringContent(string.Empty) };
            Assert.Equal(HttpStatusCode.MethodNotAllowed, client.Send(request).StatusCode);
        }

        Assert.Equal(before, File.ReadAllBytes(job.Location.FilePath));
    }

    [PosixFact]
    public void A_postgres_store_that_cannot_be_reached_is_reported_without_its_password()
    {
        using var job = new Job();
        const string password = "s3cret-pa55word";
        var store = $"postgres://worker:{password}@127.0.0.1:1/jobs";
        using var serve = ServeProcess.Start(job, environment: new Dictionary<string, string> { ["INCREMENTALPS_STORE"] = store });
        using var client = new HttpClient();

        var dashboard = client.GetStringAsync(new Uri(serve.Url, "api/dashboard")).GetAwaiter().GetResult();
        var checkpoints = client.GetAsync(new Uri(serve.Url, "api/checkpoints")).GetAwaiter().GetResult();
        var metrics = client.GetAsync(new Uri(serve.Url, "metrics")).GetAwaiter().GetResult();

        using var document = JsonDocument.Parse(dashboard);
        Assert.Contains("127.0.0.1", document.RootElement.GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, checkpoints.StatusCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, metrics.StatusCode);
        var everything = dashboard + checkpoints.Content.ReadAsStringAsync().GetAwaiter().GetResult()
            + metrics.Content.ReadAsStringAsync().GetAwaiter().GetResult() + serve.Process.Stderr;
        Assert.DoesNotContain(password, everything, StringComparison.Ordinal);
    }

    [PosixFact]
    public void Runs_start_and_finish_while_browsers_poll_the_page()
    {
        using var job = new Job();
        using var serve = ServeProcess.Start(job);
        using var client = new HttpClient();
        using var stop = new System.Threading.CancellationTokenSource();
        var polls = 0;
        // Four browsers polling as fast as they can: the server reads the store at most once a second for all of them.
        var browsers = Enumerable.Range(0, 4).Select(_ => System.Threading.Tasks.Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                (await client.GetAsync(new Uri(serve.Url, "api/dashboard"))).EnsureSuccessStatusCode();
                System.Threading.Interlocked.Increment(ref polls);
            }
        })).ToArray();

        var results = Enumerable.Range(1, 5)
            .Select(i => job.Incps($"item-{i}\n", Job.RunArgs(job.Name, new[] { "--keep" }, job.MarkCommand())))
            .ToList();
        stop.Cancel();
        System.Threading.Tasks.Task.WaitAll(browsers);

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));
        Assert.Equal(5, job.Executions().Count);
        Assert.True(polls > 0);
    }

    [PosixFact]
    public void Sigterm_stops_the_server_with_exit_code_0()
    {
        using var job = new Job();
        using var serve = ServeProcess.Start(job);

        PosixSignals.Send(serve.Process.Id, PosixSignals.SigTerm);

        var result = serve.Process.WaitForResult(IncpsProcess.DefaultTimeout);
        Assert.True(result.ExitCode == 0, result.ToString());
    }

    private static HttpResponseMessage Get(HttpClient client, Uri uri, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.Send(request);
    }
}
