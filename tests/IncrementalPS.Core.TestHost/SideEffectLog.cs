using System;
using System.IO;
using System.Text;

namespace IncrementalPS.Core.TestHost;

/// <summary>
/// The visible effect of an item's work: one line per execution, handed to the operating system before the work goes
/// on, so a kill right after still leaves the line. Each line is one write call, so a kill cannot cut it in half.
/// </summary>
internal sealed class SideEffectLog : IDisposable
{
    private readonly FileStream _stream;

    public SideEffectLog(string path)
    {
        _stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    }

    public void Append(string key)
    {
        _stream.Write(Encoding.UTF8.GetBytes(key + "\n"));
        _stream.Flush();
    }

    public void Dispose() => _stream.Dispose();
}
