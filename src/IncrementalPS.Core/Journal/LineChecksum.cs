using System;
using System.IO;
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// The checksum that ends every line of a version 2 file, header included. A line is its body, the JSON object without
/// its closing brace, followed by <c>,"crc":"xxxxxxxx"}</c>: the CRC-32C of the body's bytes in 8 lowercase hex digits.
/// The line stays one JSON object a person can read; the checksum is checked on the bytes, before any parsing, so a
/// damaged line is never believed however valid its JSON looks.
/// </summary>
internal static class LineChecksum
{
    /// <summary>The bytes the checksum adds to a line: <c>,"crc":"</c>, 8 hex digits, <c>"}</c>.</summary>
    public const int SuffixLength = 18;

    private static readonly byte[] s_open = [(byte)',', (byte)'"', (byte)'c', (byte)'r', (byte)'c', (byte)'"', (byte)':', (byte)'"'];
    private static readonly byte[] s_hex = [(byte)'0', (byte)'1', (byte)'2', (byte)'3', (byte)'4', (byte)'5', (byte)'6', (byte)'7', (byte)'8', (byte)'9', (byte)'a', (byte)'b', (byte)'c', (byte)'d', (byte)'e', (byte)'f'];

    /// <summary>Appends the checksum of the body written to <paramref name="buffer"/> from <paramref name="bodyStart"/>, and the closing brace.</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public static void Seal(MemoryStream buffer, int bodyStart)
    {
        var body = new ReadOnlySpan<byte>(buffer.GetBuffer(), bodyStart, (int)buffer.Length - bodyStart);
        Span<byte> suffix = stackalloc byte[SuffixLength];
        Write(Crc32C.Compute(body), suffix);
#if NET
        buffer.Write(suffix);
#else
        buffer.Write(suffix.ToArray(), 0, SuffixLength);
#endif
    }

    /// <summary>A sealed copy of <paramref name="body"/> (a JSON object without its closing brace), without the newline.</summary>
    public static byte[] Sealed(ReadOnlySpan<byte> body)
    {
        var line = new byte[body.Length + SuffixLength];
        body.CopyTo(line);
        Write(Crc32C.Compute(body), line.AsSpan(body.Length));
        return line;
    }

    /// <summary>
    /// Checks a line (without its newline). Returns null and the body when the checksum matches, else why not.
    /// </summary>
    // Called once per record of a load (millions in a fresh process): optimized from the first call, not after
    // tiered compilation's unoptimized and instrumented passes.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public static string? Verify(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body)
    {
        body = default;
        if (line.Length <= SuffixLength)
        {
            return "the line is too short to hold its checksum";
        }

        var suffix = line.Slice(line.Length - SuffixLength);
        if (!suffix.StartsWith(s_open) || suffix[SuffixLength - 2] != (byte)'"' || suffix[SuffixLength - 1] != (byte)'}')
        {
            return "the line does not end with its checksum (\"crc\")";
        }

        uint stored = 0;
        for (var i = s_open.Length; i < s_open.Length + 8; i++)
        {
            var digit = HexValue(suffix[i]);
            if (digit < 0)
            {
                return "the checksum is not 8 lowercase hex digits";
            }

            stored = (stored << 4) | (uint)digit;
        }

        var candidate = line.Slice(0, line.Length - SuffixLength);
        var actual = Crc32C.Compute(candidate);
        if (actual != stored)
        {
            return $"the checksum does not match (the line says {stored:x8}, its bytes give {actual:x8})";
        }

        body = candidate;
        return null;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Write(uint crc, Span<byte> suffix)
    {
        s_open.CopyTo(suffix);
        for (var i = 0; i < 8; i++)
        {
            suffix[s_open.Length + i] = s_hex[(int)((crc >> (28 - (4 * i))) & 0xF)];
        }

        suffix[SuffixLength - 2] = (byte)'"';
        suffix[SuffixLength - 1] = (byte)'}';
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexValue(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        _ => -1,
    };
}
