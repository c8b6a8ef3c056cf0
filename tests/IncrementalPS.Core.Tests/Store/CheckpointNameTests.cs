using System;
using System.IO;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Store;

public sealed class CheckpointNameTests
{
    [Theory]
    [InlineData("nightly")]
    [InlineData("a")]
    [InlineData("Import_2026-11.v2")]
    [InlineData("0123456789")]
    [InlineData("..a")]
    public void Letters_digits_dots_underscores_and_dashes_are_valid(string name)
    {
        Assert.True(CheckpointName.IsValid(name));
        Assert.Null(CheckpointName.FindProblem(name));
        CheckpointName.Validate(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("..")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("../escape")]
    [InlineData("name:stream")]
    [InlineData("star*")]
    [InlineData("caf\u00e9")]
    [InlineData("tab\tname")]
    public void Other_names_are_refused_with_a_clear_error(string name)
    {
        Assert.False(CheckpointName.IsValid(name));
        Assert.NotNull(CheckpointName.FindProblem(name));

        var error = Assert.Throws<CheckpointNameException>(() => CheckpointName.Validate(name));
        Assert.Equal(name, error.Name);
        Assert.Contains($"'{name}'", error.Message, StringComparison.Ordinal);
        Assert.Null(error.FilePath);
    }

    [Fact]
    public void Null_is_not_a_name()
    {
        Assert.False(CheckpointName.IsValid(null));
        Assert.Throws<CheckpointNameException>(() => CheckpointName.Validate(null));
    }

    [Fact]
    public void A_name_may_have_100_characters_but_not_101()
    {
        Assert.Equal(100, CheckpointName.MaxLength);
        Assert.True(CheckpointName.IsValid(new string('n', 100)));

        var error = Assert.Throws<CheckpointNameException>(() => CheckpointName.Validate(new string('n', 101)));
        Assert.Contains("101", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_name_is_refused_before_anything_touches_the_disk()
    {
        using var store = new TempStore();

        Assert.Throws<CheckpointNameException>(() => CheckpointLocation.FromName("../outside", store.Directory));

        Assert.Empty(Directory.EnumerateFileSystemEntries(store.Directory));
    }
}
