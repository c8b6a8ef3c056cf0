using System;
using System.IO;
using System.Text.Json;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>The runtime settings incps is built with (incps.runtimeconfig.json), each measured in bench/.</summary>
public sealed class RuntimeSettingsTests
{
    /// <summary>
    /// A PostgreSQL worker wakes a pool thread on every item (Npgsql sends a batch's later statements there), and the
    /// spins of those threads were a third of incps's CPU at 4 workers.
    /// </summary>
    [Fact]
    public void Incps_is_built_to_run_without_spinning_idle_thread_pool_threads()
    {
        var properties = ConfigProperties(out var path);

        Assert.True(properties.TryGetProperty("System.Threading.ThreadPool.UnfairSemaphoreSpinLimit", out var limit), $"{path} does not set the spin limit");
        Assert.Equal(0, limit.GetInt32());
    }

    /// <summary>Dynamic PGO's instrumented code was most of the engine's cost per item in runs of thousands of items.</summary>
    [Fact]
    public void Incps_is_built_to_run_without_dynamic_PGO()
    {
        var properties = ConfigProperties(out var path);

        Assert.True(properties.TryGetProperty("System.Runtime.TieredPGO", out var pgo), $"{path} does not turn dynamic PGO off");
        Assert.False(pgo.GetBoolean());
    }

    private static JsonElement ConfigProperties(out string path)
    {
        path = Path.Combine(AppContext.BaseDirectory, "incps.runtimeconfig.json");
        using var config = JsonDocument.Parse(File.ReadAllText(path));
        return config.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }
}
