using System;
using System.Globalization;

namespace IncrementalPS.Bench.Reporting;

/// <summary>Number formats shared by the report and the summary lines.</summary>
internal static class Format
{
    public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    /// <summary>1k, 10k, 1M: sizes as the issue names them.</summary>
    public static string Size(int items) => items switch
    {
        >= 1_000_000 when items % 1_000_000 == 0 => Invariant($"{items / 1_000_000}M"),
        >= 1_000 when items % 1_000 == 0 => Invariant($"{items / 1_000}k"),
        _ => Count(items),
    };

    public static string Micros(double value) => value switch
    {
        >= 100 => Invariant($"{value:F0}"),
        >= 10 => Invariant($"{value:F1}"),
        _ => Invariant($"{value:F2}"),
    };

    public static string Millis(double value) => value switch
    {
        >= 100 => Invariant($"{value:F0}"),
        >= 1 => Invariant($"{value:F1}"),
        _ => Invariant($"{value:F2}"),
    };

    public static string Ratio(double value) => value >= 10 ? Invariant($"{value:F0}x") : Invariant($"{value:F1}x");

    public static string Bytes(long value) => Math.Abs(value) switch
    {
        >= 1L << 30 => Invariant($"{value / (double)(1L << 30):F2} GB"),
        >= 1L << 20 => Invariant($"{value / (double)(1L << 20):F1} MB"),
        >= 1L << 10 => Invariant($"{value / (double)(1L << 10):F1} KB"),
        _ => Invariant($"{value} B"),
    };

    public static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
