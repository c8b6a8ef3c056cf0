using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// Writes the small progress text file that unattended runs are watched through (a file share, a dashboard, `cat`).
/// Replaced atomically, so a reader never sees half of it; not flushed to disk, because it is rewritten soon anyway.
/// </summary>
internal static class ProgressFileWriter
{
    public static void Write(string path, RunProgress progress, DateTime now)
    {
        var text = Format(progress, now);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        AtomicFile.Write(path, stream =>
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            stream.Write(bytes, 0, bytes.Length);
        }, durable: false);
    }

    public static string Format(RunProgress p, DateTime now)
    {
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        // A run that finished saw the end of its input: what it saw is the total, whatever was given or estimated.
        var sawEnd = p.IsFinal && p.State is CheckpointState.Completed or CheckpointState.Failed;
        var done = p.Done.ToString(c);
        var total = sawEnd
            ? p.Seen.ToString(c)
            : p.Total is long t ? t.ToString(c) + (p.TotalIsEstimate ? " (estimated)" : string.Empty) : "unknown";
        sb.Append("checkpoint: ").Append(p.Name).Append('\n');
        sb.Append("state: ").Append(p.State.ToString()).Append('\n');
        sb.Append("done: ").Append(done).Append('/').Append(total).Append('\n');
        sb.Append("percent: ").Append(p.PercentComplete is double pc ? pc.ToString("0.0", c) + "%" : "unknown").Append('\n');
        sb.Append("completed: ").Append(p.Completed.ToString(c)).Append('\n');
        sb.Append("skipped: ").Append(p.Skipped.ToString(c)).Append('\n');
        sb.Append("failed: ").Append(p.Failed.ToString(c)).Append('\n');
        sb.Append("rate: ").Append(p.Rate.ToString("0.##", c)).Append(" items/s\n");
        sb.Append("elapsed: ").Append(FormatDuration(p.Elapsed)).Append('\n');
        if (p.Eta is TimeSpan eta && p.State == CheckpointState.Running)
        {
            sb.Append("eta: ").Append(FormatDuration(eta)).Append(" (")
              .Append(now.Add(eta).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", c)).Append(")\n");
        }
        else
        {
            sb.Append("eta: ").Append(p.State == CheckpointState.Running ? "unknown" : "-").Append('\n');
        }

        sb.Append("updated: ").Append(now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", c)).Append('\n');
        return sb.ToString();
    }

    /// <summary>h:mm:ss, with days in front when needed; what people expect in a progress line.</summary>
    public static string FormatDuration(TimeSpan span)
    {
        var c = CultureInfo.InvariantCulture;
        var hours = (long)span.TotalHours;
        return hours >= 24
            ? string.Format(c, "{0}d {1:00}:{2:00}:{3:00}", hours / 24, hours % 24, span.Minutes, span.Seconds)
            : string.Format(c, "{0}:{1:00}:{2:00}", hours, span.Minutes, span.Seconds);
    }
}
