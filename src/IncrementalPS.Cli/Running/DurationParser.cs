using System;
using System.Globalization;

namespace IncrementalPS.Cli;

/// <summary>Parses durations given on the command line: "1.5" (seconds), "250ms", "2s", "5m", "1h" or "00:01:30".</summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; returns false for anything else or a negative duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var value = text.Trim();
        if (value.Contains(':', StringComparison.Ordinal))
        {
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        var (number, scale) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (value[..^2], 0.001),
            _ when value.EndsWith('s') || value.EndsWith('S') => (value[..^1], 1.0),
            _ when value.EndsWith('m') || value.EndsWith('M') => (value[..^1], 60.0),
            _ when value.EndsWith('h') || value.EndsWith('H') => (value[..^1], 3600.0),
            _ => (value, 1.0),
        };

        if (!double.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount)
            || double.IsInfinity(amount * scale) || amount * scale > TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(amount * scale);
        return true;
    }
}
