using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class StatusServerTests
{
    [Fact]
    public async Task A_request_that_hits_a_bug_fails_with_500_and_the_server_goes_on()
    {
        var address = ListenAddress.Parse("127.0.0.1:" + ServeProcess.FreePort());
        using var server = new StatusServer(address, null, new DashboardSource(new BrokenStore()));
        using var stop = new CancellationTokenSource();
        server.Start();
        var running = server.RunAsync(stop.Token);
        using var client = new HttpClient();

        var broken = await client.GetAsync(new Uri(address.Url + "api/dashboard"));
        var page = await client.GetAsync(new Uri(address.Url));

        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        stop.Cancel();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private sealed class BrokenStore : IServedStore
    {
        public string Display => "broken";

        public List<StatusJson> ReadStatuses() => throw new InvalidOperationException("a bug, not a store error");

        public List<ItemJson> ReadFailedItems(StatusJson row) => new();
    }
}
