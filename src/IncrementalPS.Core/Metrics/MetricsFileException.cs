using System;

namespace IncrementalPS.Core;

/// <summary>
/// The metrics file cannot be written where it was asked for: its folder does not exist or takes no new files, or the
/// path is a folder. A setup mistake found before the checkpoint is touched; the run does not start.
/// </summary>
internal sealed class MetricsFileException : ArgumentException
{
    public MetricsFileException(string path, string reason, Exception? innerException = null)
        : base($"The metrics file '{path}' cannot be used: {reason}.", innerException)
    {
        Path = path;
    }

    /// <summary>The full path of the metrics file.</summary>
    public string Path { get; }

    /// <summary>The parameter it came from, for the front ends' error records.</summary>
    public override string ParamName => "MetricsFile";
}
