using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Store;

/// <summary>These tests change process-wide environment variables, so they run alone (see <see cref="ProcessEnvironmentTests"/>).</summary>
[Collection(ProcessEnvironmentTests.Name)]
public sealed class StoreDirectoryTests
{
    [Fact]
    public void INCREMENTALPS_HOME_chooses_the_store()
    {
        using var store = new TempStore();
        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, store.Directory);

        Assert.Equal(store.Directory, CheckpointStore.DefaultDirectory);

        var location = CheckpointLocation.FromName("nightly");
        Assert.Equal(Path.Combine(store.Directory, "nightly.checkpoint.jsonl"), location.FilePath);
    }

    [Fact]
    public void A_named_run_without_a_store_argument_writes_into_INCREMENTALPS_HOME()
    {
        using var store = new TempStore();
        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, store.Directory);

        Sessions.MakeKept(CheckpointLocation.FromName("from-env"), ["a"]);

        Assert.True(File.Exists(Path.Combine(store.Directory, "from-env.checkpoint.jsonl")));
        Assert.Equal(["from-env"], [.. System.Linq.Enumerable.Select(CheckpointStore.List(), l => l.Name)]);
    }

    [Fact]
    public void Without_INCREMENTALPS_HOME_the_store_is_under_XDG_DATA_HOME()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Windows uses %LOCALAPPDATA%, tested below.
        }

        using var store = new TempStore();
        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, null);
        using var xdg = new EnvironmentOverride("XDG_DATA_HOME", store.Directory);

        Assert.Equal(Path.Combine(store.Directory, "incrementalps"), CheckpointStore.DefaultDirectory);
    }

    [Fact]
    public void Without_INCREMENTALPS_HOME_or_XDG_DATA_HOME_the_store_is_under_the_home_directory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var store = new TempStore();
        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, null);
        using var xdg = new EnvironmentOverride("XDG_DATA_HOME", null);
        using var userHome = new EnvironmentOverride("HOME", store.Directory);

        Assert.Equal(Path.Combine(store.Directory, ".local", "share", "incrementalps"), CheckpointStore.DefaultDirectory);
    }

    [Fact]
    public void A_relative_XDG_DATA_HOME_is_ignored_as_the_XDG_specification_says()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var store = new TempStore();
        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, null);
        using var xdg = new EnvironmentOverride("XDG_DATA_HOME", "relative/data");
        using var userHome = new EnvironmentOverride("HOME", store.Directory);

        Assert.Equal(Path.Combine(store.Directory, ".local", "share", "incrementalps"), CheckpointStore.DefaultDirectory);
    }

    [Fact]
    public void On_Windows_the_store_is_under_LOCALAPPDATA()
    {
        if (!OperatingSystem.IsWindows())
        {
            return;
        }

        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, null);

        var expected = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "IncrementalPS");
        Assert.Equal(expected, CheckpointStore.DefaultDirectory);
    }

    [Fact]
    public void An_explicit_store_directory_wins_over_INCREMENTALPS_HOME()
    {
        using var store = new TempStore();
        using var other = new TempStore();
        using var home = new EnvironmentOverride(CheckpointStore.HomeVariable, other.Directory);

        var location = CheckpointLocation.FromName("nightly", store.Directory);

        Assert.Equal(store.Directory, location.Directory);
    }
}
