using System;
#if NET
using System.Buffers.Binary;
using System.Numerics;
#endif
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// CRC-32C (Castagnoli, reflected polynomial 0x82F63B78), as iSCSI, ext4 and RocksDB use it: it catches every burst of
/// up to 32 flipped bits and every odd number of flips in a record. On .NET 8 the processor computes it
/// (System.Numerics.BitOperations.Crc32C: SSE4.2 or ARMv8 CRC); the table is for netstandard2.0 (Windows
/// PowerShell), where taking System.IO.Hashing would ship a System.*.dll that PowerShell may load at another version.
/// </summary>
internal static class Crc32C
{
    private const uint Polynomial = 0x82F63B78;
    private static readonly uint[] s_table = MakeTable();

    /// <summary>The CRC-32C of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF, as published).</summary>
    // Inlined into the (AggressiveOptimization) per-record callers, so it runs optimized from the first record, not
    // in tiered compilation's unoptimized and instrumented code; an AggressiveOptimization method is never inlined.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Compute(ReadOnlySpan<byte> data)
    {
#if NET
        return ~Hardware(~0u, data);
#else
        return ~Table(~0u, data);
#endif
    }

    /// <summary>The same checksum from the table alone, whatever the platform (tests compare both ways).</summary>
    internal static uint ComputeWithTable(ReadOnlySpan<byte> data) => ~Table(~0u, data);

    private static uint Table(uint crc, ReadOnlySpan<byte> data)
    {
        foreach (var b in data)
        {
            crc = s_table[(byte)(crc ^ b)] ^ (crc >> 8);
        }

        return crc;
    }

#if NET
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Hardware(uint crc, ReadOnlySpan<byte> data)
    {
        // BitOperations falls back to software where the processor has no CRC instruction, with the same result.
        while (data.Length >= 8)
        {
            crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
            data = data.Slice(8);
        }

        foreach (var b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
#endif

    private static uint[] MakeTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var crc = i;
            for (var bit = 0; bit < 8; bit++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ Polynomial : crc >> 1;
            }

            table[i] = crc;
        }

        return table;
    }
}
