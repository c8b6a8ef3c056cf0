using System.Linq;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class StderrTailTests
{
    [Fact]
    public void Keeps_the_last_lines_within_the_capacity_counting_line_ends()
    {
        var tail = new StderrTail(capacity: 22);
        foreach (var i in Enumerable.Range(1, 10))
        {
            tail.Append("line " + i);
        }

        Assert.Equal("line 8\nline 9\nline 10", tail.ToString());
    }

    [Fact]
    public void A_huge_single_line_keeps_its_end()
    {
        var tail = new StderrTail(capacity: 10);

        tail.Append(new string('a', 100) + "the reason");

        Assert.Equal("…he reason", tail.ToString());
    }
}
