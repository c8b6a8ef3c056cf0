using System.IO;
using System.Linq;

namespace IncrementalPS.Bench.Measuring;

/// <summary>Bytes a peer keeps on disk: every file in its run directory (the engine's lock and owner files, SQLite's WAL).</summary>
internal static class DirectorySize
{
    public static long Of(string directory)
        => new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).Sum(f => f.Length);
}
