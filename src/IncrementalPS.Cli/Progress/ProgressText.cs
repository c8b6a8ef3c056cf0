using System;
using System.Globalization;
using System.Text;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>The words and numbers both progress views show: done/total, failed, rate and ETA.</summary>
internal static class ProgressText
{
    /// <summary>Items handled so far: processed now, or skipped because an earlier run did them.</summary>
    public static long Done(RunProgress progress) => progress.Processed + progress.Skipped;

    /// <summary>"120/500 done, 2 failed, 12.3/s, ETA 41s" (parts left out when unknown).</summary>
    public static string Describe(RunProgress progress)
    {
        ArgumentNullException.ThrowIfNull(progress);
        var text = new StringBuilder();
        var done = Done(progress);
        text.Append(done.ToString(CultureInfo.InvariantCulture));
        if (progress.Total is long total)
        {
            text.Append('/').Append((progress.TotalIsEstimate ? "~" : string.Empty) + total.ToString(CultureInfo.InvariantCulture));
        }

        text.Append(" done, ").Append(progress.Failed.ToString(CultureInfo.InvariantCulture)).Append(" failed, ");
        text.Append(progress.Rate.ToString("0.0", CultureInfo.InvariantCulture)).Append("/s");
        if (progress.Eta is TimeSpan eta && eta > TimeSpan.Zero)
        {
            text.Append(", ETA ").Append(CliFormat.Duration(eta));
        }

        return text.ToString();
    }
}
