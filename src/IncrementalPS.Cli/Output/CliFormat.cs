using System;
using System.Globalization;

namespace IncrementalPS.Cli;

/// <summary>How incps writes numbers, times and durations for people (culture-invariant, UTC).</summary>
internal static class CliFormat
{
    /// <summary>The number, or "-" when unknown.</summary>
    public static string Number(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    /// <summary>"2026-11-22 10:00:00Z", or "-" when unknown.</summary>
    public static string Time(DateTimeOffset? time)
        => time?.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    /// <summary>A short duration: "850ms", "41s", "3m 20s", "2h 05m", "3d 04h".</summary>
    public static string Duration(TimeSpan duration)
    {
        var culture = CultureInfo.InvariantCulture;
        return duration switch
        {
            { TotalSeconds: < 1 } => string.Format(culture, "{0}ms", (int)duration.TotalMilliseconds),
            { TotalMinutes: < 1 } => string.Format(culture, "{0}s", (int)duration.TotalSeconds),
            { TotalHours: < 1 } => string.Format(culture, "{0}m {1:00}s", duration.Minutes, duration.Seconds),
            { TotalDays: < 1 } => string.Format(culture, "{0}h {1:00}m", duration.Hours, duration.Minutes),
            _ => string.Format(culture, "{0}d {1:00}h", (int)duration.TotalDays, duration.Hours),
        };
    }

    /// <summary>
    /// A key as people read it on a terminal: control characters written as escapes (\0, \t, \n, \r, \u001b...)
    /// rather than raw, where a NUL shows as a space and an escape sequence would drive the terminal. --json gives the
    /// key exactly.
    /// </summary>
    public static string Key(string key)
    {
        var plain = true;
        foreach (var c in key)
        {
            plain &= !char.IsControl(c);
        }

        if (plain)
        {
            return key;
        }

        var text = new System.Text.StringBuilder(key.Length + 8);
        foreach (var c in key)
        {
            text.Append(c switch
            {
                '\0' => "\\0",
                '\t' => "\\t",
                '\n' => "\\n",
                '\r' => "\\r",
                _ when char.IsControl(c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        return text.ToString();
    }

    /// <summary>The first line of a message (a failure's message holds the command's whole standard error tail).</summary>
    public static string FirstLine(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var end = text.IndexOf('\n', StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
