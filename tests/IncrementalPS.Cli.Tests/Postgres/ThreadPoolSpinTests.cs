using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// incps runs with no spinning of idle thread pool threads: a PostgreSQL worker wakes a pool thread on every item (Npgsql
/// sends a batch's later statements there), and the spins of those threads were a third of incps's CPU at 4 workers.
/// </summary>
public sealed class ThreadPoolSpinTests
{
    [Fact]
    public void Incps_is_built_to_run_without_spinning_idle_thread_pool_threads()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "incps.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));

        var properties = config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties");

        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var limit), $"{path} does not set the spin limit");
        Assert.Equal(0, limit.GetInt32());
    }
}
