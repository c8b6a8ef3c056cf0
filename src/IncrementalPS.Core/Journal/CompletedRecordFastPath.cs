using System;
using System.Text;
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// Reads the one line shape that makes up almost all of a checkpoint, an item-completed record exactly as
/// <see cref="RecordWriter"/> writes it, without a general JSON reader: a load of a million records spends most of
/// its time here. It accepts only that exact shape, checked byte by byte; anything else (another field order, an
/// escape in the key, a damaged line) returns false and goes to the full parser, which decides what it is.
/// In a version 2 file it reads the body of a line whose checksum <see cref="JournalReaderV2"/> has verified.
/// </summary>
internal static class CompletedRecordFastPath
{
    private static readonly byte[] s_prefix = Encoding.ASCII.GetBytes("{\"type\":\"item-completed\",\"key\":\"");
    private static readonly byte[] s_time = Encoding.ASCII.GetBytes(",\"time\":\"");
    private static readonly byte[] s_attempt = Encoding.ASCII.GetBytes(",\"attempt\":");
    private static readonly byte[] s_ms = Encoding.ASCII.GetBytes(",\"ms\":");
    private static readonly byte[] s_output = Encoding.ASCII.GetBytes(",\"output\":\"");
    // yyyy-MM-ddTHH:mm:ss.fffZ, as the writer formats times.
    private const int TimeLength = 24;
    private static readonly int[] s_timeDigits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18, 20, 21, 22];
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public static bool TryParse(ReadOnlySpan<byte> line, JournalRecord record)
        => line.Length > 0 && line[line.Length - 1] == (byte)'}' && TryParseBody(line.Slice(0, line.Length - 1), record);

    /// <summary>Reads a record's body: its line without the closing brace (and, in version 2, without the checksum).</summary>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public static bool TryParseBody(ReadOnlySpan<byte> line, JournalRecord record)
    {
        if (!line.StartsWith(s_prefix))
        {
            return false;
        }

        var rest = line.Slice(s_prefix.Length);
        var keyLength = PlainStringLength(rest);
        if (keyLength <= 0)
        {
            return false;
        }

        var keyBytes = rest.Slice(0, keyLength);
        rest = rest.Slice(keyLength + 1);
        if (!rest.StartsWith(s_time))
        {
            return false;
        }

        rest = rest.Slice(s_time.Length);
        if (rest.Length <= TimeLength || rest[TimeLength] != (byte)'"' || !IsTime(rest.Slice(0, TimeLength)))
        {
            return false;
        }

        rest = rest.Slice(TimeLength + 1);
        if (!rest.StartsWith(s_attempt))
        {
            return false;
        }

        rest = rest.Slice(s_attempt.Length);
        var attemptLength = Digits(rest, out var attempt);
        if (attemptLength == 0)
        {
            return false;
        }

        rest = rest.Slice(attemptLength);
        if (!rest.StartsWith(s_ms))
        {
            return false;
        }

        rest = rest.Slice(s_ms.Length);
        var msLength = NumberLength(rest);
        if (msLength == 0)
        {
            return false;
        }

        rest = rest.Slice(msLength);
        var hasOutput = false;
        if (rest.StartsWith(s_output))
        {
            rest = rest.Slice(s_output.Length);
            var outputLength = EscapedStringLength(rest);
            if (outputLength < 0 || !IsValidUtf8(rest.Slice(0, outputLength)))
            {
                // The load never decodes the output, but reading it later does: what would fail then is the full
                // parser's to judge.
                return false;
            }

            rest = rest.Slice(outputLength + 1);
            hasOutput = true;
        }

        if (rest.Length != 0)
        {
            return false;
        }

        string key;
        try
        {
            key = GetString(keyBytes);
        }
        catch (DecoderFallbackException)
        {
            // Invalid UTF-8: the full parser reports it as damage.
            return false;
        }

        record.Clear();
        record.Type = RecordType.ItemCompleted;
        record.Key = key;
        record.Attempt = attempt;
        record.HasOutput = hasOutput;
        return true;
    }

    /// <summary>Length of a JSON string body up to its closing quote, when it has no escapes or control characters; else -1.</summary>
    // Inlined into the (AggressiveOptimization) per-record callers, so it runs optimized from the first record, not
    // in tiered compilation's unoptimized and instrumented code; an AggressiveOptimization method is never inlined.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int PlainStringLength(ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'"')
            {
                return i;
            }

            if (b == (byte)'\\' || b < 0x20)
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>Length of a JSON string body up to its closing quote, with its escapes checked; else -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int EscapedStringLength(ReadOnlySpan<byte> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var b = text[i];
            if (b == (byte)'"')
            {
                return i;
            }

            if (b < 0x20)
            {
                return -1;
            }

            if (b != (byte)'\\')
            {
                continue;
            }

            if (++i >= text.Length)
            {
                return -1;
            }

            switch (text[i])
            {
                case (byte)'"' or (byte)'\\' or (byte)'/' or (byte)'b' or (byte)'f' or (byte)'n' or (byte)'r' or (byte)'t':
                    break;
                case (byte)'u':
                    if (i + 4 >= text.Length || !IsHex(text[i + 1]) || !IsHex(text[i + 2]) || !IsHex(text[i + 3]) || !IsHex(text[i + 4]))
                    {
                        return -1;
                    }

                    if ((text[i + 1] | 0x20) == (byte)'d' && text[i + 2] >= (byte)'8')
                    {
                        // A surrogate: only a well-formed pair decodes, which is the full parser's to check.
                        return -1;
                    }

                    i += 4;
                    break;
                default:
                    return -1;
            }
        }

        return -1;
    }

    /// <summary>A non-negative integer that fits an int, without leading zeros; returns its length (0: none).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Digits(ReadOnlySpan<byte> text, out int value)
    {
        value = 0;
        long total = 0;
        var i = 0;
        while (i < text.Length && text[i] >= (byte)'0' && text[i] <= (byte)'9')
        {
            total = (total * 10) + (text[i] - '0');
            if (total > int.MaxValue)
            {
                return 0;
            }

            i++;
        }

        if (i == 0 || (i > 1 && text[0] == (byte)'0'))
        {
            return 0;
        }

        value = (int)total;
        return i;
    }

    /// <summary>The length of a JSON number (RFC 8259 grammar) at the start of <paramref name="text"/>, or 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int NumberLength(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (i < text.Length && text[i] == (byte)'-')
        {
            i++;
        }

        var intStart = i;
        while (i < text.Length && IsDigit(text[i]))
        {
            i++;
        }

        if (i == intStart || (i - intStart > 1 && text[intStart] == (byte)'0'))
        {
            return 0;
        }

        if (i < text.Length && text[i] == (byte)'.')
        {
            var fraction = ++i;
            while (i < text.Length && IsDigit(text[i]))
            {
                i++;
            }

            if (i == fraction)
            {
                return 0;
            }
        }

        if (i < text.Length && (text[i] == (byte)'e' || text[i] == (byte)'E'))
        {
            i++;
            if (i < text.Length && (text[i] == (byte)'+' || text[i] == (byte)'-'))
            {
                i++;
            }

            var exponent = i;
            while (i < text.Length && IsDigit(text[i]))
            {
                i++;
            }

            if (i == exponent)
            {
                return 0;
            }
        }

        return i;
    }

    /// <summary>True for a valid UTC time written as yyyy-MM-ddTHH:mm:ss.fffZ.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsTime(ReadOnlySpan<byte> t)
    {
        if (t[4] != (byte)'-' || t[7] != (byte)'-' || t[10] != (byte)'T' || t[13] != (byte)':' || t[16] != (byte)':' || t[19] != (byte)'.' || t[23] != (byte)'Z')
        {
            return false;
        }

        foreach (var at in s_timeDigits)
        {
            if (!IsDigit(t[at]))
            {
                return false;
            }
        }

        var year = Number(t, 0, 4);
        var month = Number(t, 5, 2);
        var day = Number(t, 8, 2);
        return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= DateTime.DaysInMonth(year, month)
            && Number(t, 11, 2) < 24 && Number(t, 14, 2) < 60 && Number(t, 17, 2) < 60;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Number(ReadOnlySpan<byte> text, int start, int length)
    {
        var value = 0;
        for (var i = start; i < start + length; i++)
        {
            value = (value * 10) + (text[i] - '0');
        }

        return value;
    }

    // Not inlinable (it catches): compiled optimized on its own instead.
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    private static bool IsValidUtf8(ReadOnlySpan<byte> bytes)
    {
        foreach (var b in bytes)
        {
            if (b >= 0x80)
            {
                try
                {
                    _ = GetString(bytes);
                    return true;
                }
                catch (DecoderFallbackException)
                {
                    return false;
                }
            }
        }

        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsDigit(byte b) => b >= (byte)'0' && b <= (byte)'9';

    private static bool IsHex(byte b) => IsDigit(b) || (b >= (byte)'a' && b <= (byte)'f') || (b >= (byte)'A' && b <= (byte)'F');

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static string GetString(ReadOnlySpan<byte> bytes)
    {
#if NET
        return s_strictUtf8.GetString(bytes);
#else
        return s_strictUtf8.GetString(bytes.ToArray());
#endif
    }
}
