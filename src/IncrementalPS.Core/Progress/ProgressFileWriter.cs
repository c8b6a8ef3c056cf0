using System;
using System.Globalization;
using System.IO;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// Writes the small progress text file that unattended runs are watched through (a file share, a dashboard, `cat`).
/// Replaced atomically, so a reader never sees half of it; not flushed to disk, because it is rewritten soon anyway.
/// Best effort: on Windows a rename over a file fails while anything has it open (<c>Get-Content -Wait</c> does), and a
/// watcher must neither stop a run nor fail one. Only its folder is checked, once, when the run starts.
/// </summary>
internal static class ProgressFileWriter
{
    /// <summary>
    /// Checks that the progress file can be written at all, then writes its first content as <see cref="TryWrite"/>.
    /// The folder must exist: it is not created, so a mistyped path is reported, not a folder made somewhere.
    /// </summary>
    /// <exception cref="ProgressFileException">The folder is missing, is a file, or takes no new files; or the path is a folder.</exception>
    public static void Start(string path, RunProgress progress, DateTime now)
    {
        var full = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(full) ?? ".";
        if (Directory.Exists(full))
        {
            throw new ProgressFileException(full, "it is a folder. Give the path of a file");
        }

        if (!Directory.Exists(directory))
        {
            throw new ProgressFileException(full, $"the folder '{directory}' does not exist. Create it first, or give a path in an existing folder");
        }

        // The temporary file is the probe: if it can be created, so can every later one.
        string temp;
        try
        {
            temp = AtomicFile.WriteTemp(full, stream => WriteText(stream, progress, now), durable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProgressFileException(full, $"no file can be created in '{directory}' ({ex.Message}). Give a folder this user may write", ex);
        }

        TryCommit(temp, full);
    }

    /// <summary>Replaces the progress file, in one attempt; false when that failed (the next write tries again).</summary>
    public static bool TryWrite(string path, RunProgress progress, DateTime now)
    {
        string temp;
        try
        {
            temp = AtomicFile.WriteTemp(path, stream => WriteText(stream, progress, now), durable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        return TryCommit(temp, path);
    }

    private static bool TryCommit(string temp, string path)
    {
        try
        {
            // No waiting while a reader holds it: the run holds its lock meanwhile, and the next tick comes anyway.
            AtomicFile.Commit(temp, path, durable: false, waitWhileBusy: false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Commit removed its temporary file (the progress file is never missing because of it). Not the
            // checkpoint's data: nothing is lost, and the next write replaces the whole file.
            return false;
        }
    }

    private static void WriteText(Stream stream, RunProgress progress, DateTime now)
    {
        var bytes = Encoding.UTF8.GetBytes(Format(progress, now));
        stream.Write(bytes, 0, bytes.Length);
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
