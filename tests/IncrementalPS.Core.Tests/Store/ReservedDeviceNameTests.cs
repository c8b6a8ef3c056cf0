using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Store;

/// <summary>
/// Windows device names are refused as checkpoint names and file names on every platform: on Windows
/// <c>NUL.checkpoint.jsonl</c> is the null device, where every record would vanish.
/// </summary>
public sealed class ReservedDeviceNameTests
{
    [Theory]
    [InlineData("NUL", "NUL")]
    [InlineData("nul", "NUL")]
    [InlineData("Con", "CON")]
    [InlineData("prn", "PRN")]
    [InlineData("AUX", "AUX")]
    [InlineData("com1", "COM1")]
    [InlineData("COM9", "COM9")]
    [InlineData("Lpt0", "LPT0")]
    [InlineData("nul.daily", "NUL")]
    [InlineData("con.v2.x", "CON")]
    public void A_device_name_is_refused_as_a_checkpoint_name_with_the_rule(string name, string device)
    {
        var error = Assert.Throws<CheckpointNameException>(() => CheckpointName.Validate(name));

        Assert.Contains($"'{device}' is reserved", error.Message, StringComparison.Ordinal);
        Assert.Contains("Windows device names", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("nul.checkpoint.jsonl")]
    [InlineData("COM3")]
    [InlineData("aux.txt")]
    public void A_device_name_is_refused_as_a_checkpoint_file_name(string fileName)
    {
        using var store = new TempStore();

        var error = Assert.Throws<CheckpointPathException>(() => CheckpointLocation.FromPath(store.PathOf(fileName)));

        Assert.Contains("Windows device names", error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(store.PathOf(fileName)));
    }

    [Theory]
    [InlineData("null")]
    [InlineData("console")]
    [InlineData("com10")]
    [InlineData("lpt")]
    [InlineData("com")]
    [InlineData("auxiliary.x")]
    [InlineData("x.nul")]
    [InlineData("my-con")]
    public void Names_that_only_resemble_a_device_are_valid(string name)
    {
        Assert.True(CheckpointName.IsValid(name));
    }
}
