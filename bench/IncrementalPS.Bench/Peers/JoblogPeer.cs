using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace IncrementalPS.Bench.Peers;

/// <summary>
/// An append-only text log in the style of GNU parallel's --joblog: one tab-separated line per finished item, flushed
/// to the operating system (or, with <c>fsync</c>, to disk) before going on. Resuming means reading the whole log.
/// </summary>
internal sealed class JoblogPeer : ICheckpointPeer
{
    public const string FileName = "joblog.tsv";

    private const string Header = "Seq\tHost\tStarttime\tJobRuntime\tSend\tReceive\tExitval\tSignal\tCommand\n";

    private readonly bool _fsync;
    private readonly string _host = Environment.MachineName;
    private readonly byte[] _buffer = new byte[1024];
    private FileStream? _log;
    private long _sequence;

    public JoblogPeer(bool fsync) => _fsync = fsync;

    public void Open(string directory)
    {
        _log = new FileStream(Path.Combine(directory, FileName), FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 4096);
        Append(Header);
    }

    public void Process(string key)
    {
        var started = DateTimeOffset.UtcNow;
        var timer = Stopwatch.GetTimestamp();
        _ = key; // the (empty) work
        var seconds = Stopwatch.GetElapsedTime(timer).TotalSeconds;
        _sequence++;
        Append(string.Create(
            CultureInfo.InvariantCulture,
            $"{_sequence}\t{_host}\t{started.ToUnixTimeMilliseconds() / 1000.0:F3}\t{seconds:F3}\t0\t0\t0\t0\t{key}\n"));
    }

    public void Close() => Dispose();

    public void Dispose()
    {
        _log?.Dispose();
        _log = null;
    }

    /// <summary>What a resuming run does: read the log and collect the commands that exited 0.</summary>
    public static HashSet<string> LoadCompleted(string directory)
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, FileName)).Skip(1))
        {
            var fields = line.Split('\t');
            if (fields.Length == 9 && fields[6] == "0")
            {
                done.Add(fields[8]);
            }
        }

        return done;
    }

    private void Append(string line)
    {
        var log = _log ?? throw new InvalidOperationException("Open the peer first.");
        var length = Encoding.UTF8.GetBytes(line, _buffer);
        log.Write(_buffer, 0, length);
        log.Flush(_fsync);
    }
}
