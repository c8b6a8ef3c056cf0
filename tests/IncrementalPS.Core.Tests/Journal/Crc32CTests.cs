using System;
using System.Linq;
using System.Text;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>The checksum is CRC-32C as published, whichever way it is computed.</summary>
public sealed class Crc32CTests
{
    public static TheoryData<string, byte[], uint> PublishedVectors() => new()
    {
        // The check value of the CRC catalogue (reveng.sourceforge.io, CRC-32/ISCSI).
        { "123456789", Encoding.ASCII.GetBytes("123456789"), 0xE3069283 },
        { "empty", [], 0x00000000 },
        // RFC 3720 (iSCSI), appendix B.4.
        { "32 bytes of zeros", new byte[32], 0x8A9136AA },
        { "32 bytes of ones", Enumerable.Repeat((byte)0xFF, 32).ToArray(), 0x62A8AB43 },
        { "32 incrementing bytes", Enumerable.Range(0, 32).Select(i => (byte)i).ToArray(), 0x46DD794E },
        { "32 decrementing bytes", Enumerable.Range(0, 32).Select(i => (byte)(31 - i)).ToArray(), 0x113FDB5C },
    };

    [Theory]
    [MemberData(nameof(PublishedVectors))]
    public void Matches_the_published_check_values_both_ways(string what, byte[] data, uint expected)
    {
        Assert.Equal(expected, Crc32C.Compute(data));
        Assert.Equal(expected, Crc32C.ComputeWithTable(data));
        Assert.NotNull(what);
    }

    [Fact]
    public void The_hardware_and_the_table_agree_on_every_length_and_alignment()
    {
        var random = new Random(7);
        var data = new byte[4096];
        random.NextBytes(data);
        for (var start = 0; start < 9; start++)
        {
            for (var length = 0; length < 300; length++)
            {
                var slice = data.AsSpan(start, length);
                Assert.Equal(Crc32C.ComputeWithTable(slice), Crc32C.Compute(slice));
            }
        }

        Assert.Equal(Crc32C.ComputeWithTable(data), Crc32C.Compute(data));
    }
}
