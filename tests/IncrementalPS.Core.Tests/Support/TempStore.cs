using System;
using System.IO;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>A store directory of its own for one test, deleted afterwards.</summary>
internal sealed class TempStore : IDisposable
{
    public TempStore()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("incps-core-tests-").FullName;
    }

    public string Directory { get; }

    /// <summary>A named checkpoint in this store.</summary>
    public CheckpointLocation Named(string name = "test") => CheckpointLocation.FromName(name, Directory);

    /// <summary>A path inside this store's directory.</summary>
    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>A checkpoint given by explicit path inside this store's directory.</summary>
    public CheckpointLocation AtPath(string fileName) => CheckpointLocation.FromPath(PathOf(fileName));

    /// <summary>A file in this store's directory with the given content, as a checkpoint location.</summary>
    public CheckpointLocation FileWith(string fileName, byte[] content)
    {
        var path = PathOf(fileName);
        File.WriteAllBytes(path, content);
        return CheckpointLocation.FromPath(path);
    }

    public void Dispose()
    {
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
