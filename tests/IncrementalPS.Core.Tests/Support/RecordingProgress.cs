using System;
using System.Collections.Generic;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>Collects progress notifications synchronously, on the reporting thread (Progress&lt;T&gt; would post them).</summary>
internal sealed class RecordingProgress : IProgress<RunProgress>
{
    private readonly List<RunProgress> _reports = new();

    public IReadOnlyList<RunProgress> Reports
    {
        get
        {
            lock (_reports)
            {
                return _reports.ToArray();
            }
        }
    }

    public void Report(RunProgress value)
    {
        lock (_reports)
        {
            _reports.Add(value);
        }
    }
}
