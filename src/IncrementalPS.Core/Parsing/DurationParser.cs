using System;
using System.Globalization;

namespace IncrementalPS.Core;

/// <summary>
/// Parses the durations both front ends take (incps --retry-delay, Invoke-Incremental -RetryDelay): "1.5" (seconds),
/// "250ms", "2s", "5m", "1h", "30d" or "00:01:30". One parser, so that the same text means the same wait everywhere.
/// </summary>
internal static class DurationParser
{
    /// <summary>Parses <paramref name="text"/>; returns false for anything else or a negative duration.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text is null || text.Trim().Length == 0)
        {
            return false;
        }

        var value = text.Trim();
        if (value.Contains(":"))
        {
            return TimeSpan.TryParse(value, CultureInfo.InvariantCulture, out duration) && duration >= TimeSpan.Zero;
        }

        var (number, scale) = value switch
        {
            _ when value.EndsWith("ms", StringComparison.OrdinalIgnoreCase) => (value.Substring(0, value.Length - 2), 0.001),
            _ when value.EndsWith("s", StringComparison.OrdinalIgnoreCase) => (value.Substring(0, value.Length - 1), 1.0),
            _ when value.EndsWith("m", StringComparison.OrdinalIgnoreCase) => (value.Substring(0, value.Length - 1), 60.0),
            _ when value.EndsWith("h", StringComparison.OrdinalIgnoreCase) => (value.Substring(0, value.Length - 1), 3600.0),
            _ when value.EndsWith("d", StringComparison.OrdinalIgnoreCase) => (value.Substring(0, value.Length - 1), 86400.0),
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
