using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Parsing;

public sealed class DurationParserTests
{
    [Theory]
    [InlineData("1.5", 1500)]
    [InlineData("250ms", 250)]
    [InlineData("2s", 2000)]
    [InlineData("5m", 300000)]
    [InlineData("1h", 3600000)]
    [InlineData("30d", 2592000000)]
    [InlineData("00:01:30", 90000)]
    [InlineData("0", 0)]
    public void Accepted_forms_give_the_duration(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("soon")]
    [InlineData("-1")]
    [InlineData("5q")]
    [InlineData("-00:00:01")]
    [InlineData("1e400")]
    public void Anything_else_is_refused(string text)
    {
        Assert.False(DurationParser.TryParse(text, out _));
    }
}
