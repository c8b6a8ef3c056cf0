using System;
using System.IO;
using System.Text;

namespace IncrementalPS.Core;

/// <summary>
/// The Prometheus metrics file of one run (<see cref="RunOptions.MetricsFile"/>), for node_exporter's textfile
/// collector: replaced atomically by a rename in the same folder, as the collector requires, through a temporary file
/// named <c>.&lt;name&gt;.&lt;random&gt;.tmp</c>, which the collector (it reads <c>*.prom</c> only) never reads half
/// written. Best effort like the progress file: a write that fails is tried again at the next tick, and never stops or
/// fails a run. Not thread-safe: the session calls it under its lock.
/// </summary>
internal sealed class MetricsFile
{
    private readonly string _path;
    private (long Completed, long Failed, long InFlight, long Seen) _last = (-1, -1, -1, -1);
    private DateTimeOffset _changedAt;

    public MetricsFile(string path)
    {
        _path = path ?? throw new ArgumentNullException(nameof(path));
    }

    /// <summary>
    /// Checks that the file can be written at all, before the checkpoint is touched. Nothing is written: counts are
    /// known only once the checkpoint is open, and a file showing zero for a moment would be a false dip in a graph.
    /// The folder must exist: it is not created, so a mistyped path is reported, not a folder made somewhere.
    /// </summary>
    /// <exception cref="MetricsFileException">The folder is missing, is a file, or takes no new files; or the path is a folder.</exception>
    public static void CheckIfGiven(string? path)
    {
        if (path is null)
        {
            return;
        }

        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? ".";
        if (Directory.Exists(full))
        {
            throw new MetricsFileException(full, "it is a folder. Give the path of a file, such as <textfile folder>/incrementalps-<name>.prom");
        }

        if (!Directory.Exists(directory))
        {
            throw new MetricsFileException(full, $"the folder '{directory}' does not exist. Create it first, or give a path in an existing folder");
        }

        // The temporary file is the probe: if it can be created, so can every later one.
        try
        {
            var temp = AtomicFile.WriteTemp(full, _ => { }, durable: false);
            File.Delete(temp);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MetricsFileException(full, $"no file can be created in '{directory}' ({ex.Message}). Give a folder this user may write", ex);
        }
    }

    /// <summary>
    /// Replaces the file with the checkpoint's metrics now, in one attempt; false when that failed. The counts are the
    /// checkpoint's (<paramref name="completed"/>, …) as a status read shows them; rate and ETA those of the live run.
    /// </summary>
    public bool TryWrite(RunProgress progress, long completed, long failed, long inFlight, DateTimeOffset now)
    {
        if (progress is null)
        {
            throw new ArgumentNullException(nameof(progress));
        }

        // The last update is when the checkpoint last changed, not when this file was written (every few seconds
        // anyway): a stalled run must show as stalled. Every record moves one of these counts.
        var marker = (completed, failed, inFlight, progress.Seen);
        if (marker != _last)
        {
            _last = marker;
            _changedAt = now;
        }

        var live = progress.State == CheckpointState.Running;
        // A run that finished saw the end of its input: what it saw is the total, whatever was given or estimated.
        var total = progress.IsFinal && progress.State is CheckpointState.Completed or CheckpointState.Failed ? progress.Seen : progress.Total;
        var metrics = new CheckpointMetrics(
            progress.Name, progress.State, completed, failed, inFlight, total, live ? progress.Rate : null, live ? progress.Eta : null, _changedAt);
        var bytes = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false).GetBytes(PrometheusText.Format(new[] { metrics }));

        string temp;
        try
        {
            temp = AtomicFile.WriteTemp(_path, stream => stream.Write(bytes, 0, bytes.Length), durable: false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }

        try
        {
            // No waiting while something holds it: the run holds its lock meanwhile, and the next tick comes anyway.
            AtomicFile.Commit(temp, _path, durable: false, waitWhileBusy: false);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Commit removed its temporary file. Not the checkpoint's data: nothing is lost, and the next write
            // replaces the whole file.
            return false;
        }
    }
}
