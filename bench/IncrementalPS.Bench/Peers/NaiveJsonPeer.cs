using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace IncrementalPS.Bench.Peers;

/// <summary>
/// The common naive pattern: keep the whole state in memory and, after each item, serialize all of it as JSON to a
/// temporary file and rename that over the state file. With <c>fsync</c> the temporary file is flushed to disk before
/// the rename (the directory is not, as is usual in this pattern); without, the bytes only reach the operating system.
/// </summary>
internal sealed class NaiveJsonPeer : ICheckpointPeer
{
    public const string FileName = "state.json";

    private readonly bool _fsync;
    private readonly NaiveJsonState _state = new();
    private string? _path;

    public NaiveJsonPeer(bool fsync) => _fsync = fsync;

    public void Open(string directory)
    {
        _path = Path.Combine(directory, FileName);
        _state.Completed.Clear();
        Save();
    }

    public void Process(string key)
    {
        _state.Completed.Add(key);
        Save();
    }

    public void Close()
    {
    }

    public void Dispose()
    {
    }

    private void Save()
    {
        var path = _path ?? throw new InvalidOperationException("Open the peer first.");
        var temporary = path + ".tmp";
        using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            JsonSerializer.Serialize(stream, _state);
            stream.Flush(_fsync);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
