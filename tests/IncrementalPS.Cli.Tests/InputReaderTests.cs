using System.IO;
using System.Linq;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class InputReaderTests
{
    [Fact]
    public void Lines_become_items_without_line_ends_and_blank_lines_are_skipped()
    {
        var items = InputReader.ReadItems(new StringReader("a\r\nb b\n\n  \nc"), nullSeparated: false).ToList();

        Assert.Equal(new[] { "a", "b b", "  ", "c" }, items);
    }

    [Fact]
    public void Nul_separated_items_may_hold_line_breaks_and_the_last_needs_no_terminator()
    {
        var items = InputReader.ReadItems(new StringReader("one\ntwo\0\0three\0four"), nullSeparated: true).ToList();

        Assert.Equal(new[] { "one\ntwo", "three", "four" }, items);
    }

    [Fact]
    public void Nul_separated_items_longer_than_the_read_buffer_stay_whole()
    {
        var big = new string('x', 20000);

        var items = InputReader.ReadItems(new StringReader(big + "\0y\0"), nullSeparated: true).ToList();

        Assert.Equal(new[] { big, "y" }, items);
    }

    [Fact]
    public void Items_are_read_lazily_so_the_first_is_available_before_the_input_ends()
    {
        using var reader = new BlockingAfterFirstLine();

        var first = InputReader.ReadItems(reader, nullSeparated: false).First();

        Assert.Equal("first", first);
    }

    /// <summary>A reader whose second line would block forever (a pipe nobody closes).</summary>
    private sealed class BlockingAfterFirstLine : TextReader
    {
        private int _calls;

        public override string? ReadLine() => _calls++ == 0 ? "first" : throw new Xunit.Sdk.XunitException("read past the first item");
    }
}
