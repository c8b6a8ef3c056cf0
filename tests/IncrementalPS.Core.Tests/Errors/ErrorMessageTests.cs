using System;
using Xunit;

namespace IncrementalPS.Core.Tests.Errors;

public sealed class ErrorMessageTests
{
    [Fact]
    public void Damage_found_by_byte_offset_does_not_claim_line_0_or_end_with_two_full_stops()
    {
        var error = new CheckpointCorruptException("/x/c.jsonl", 0, "the record at byte 27 can no longer be read (bad json).");

        Assert.DoesNotContain("line 0", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("..", error.Message, StringComparison.Ordinal);
        Assert.Contains("damaged: the record at byte 27 can no longer be read (bad json). The file was left unchanged.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Damage_on_a_line_names_the_line()
    {
        var error = new CheckpointCorruptException("/x/c.jsonl", 4, "not JSON");

        Assert.Contains("damaged at line 4: not JSON. The file", error.Message, StringComparison.Ordinal);
    }
}
