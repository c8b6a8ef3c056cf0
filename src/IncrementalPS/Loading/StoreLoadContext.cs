#if NET
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace IncrementalPS.Loading;

/// <summary>
/// The module's own AssemblyLoadContext (PowerShell 7): the engine and the PostgreSQL driver with its dependencies
/// (Npgsql, Microsoft.Extensions.Logging.Abstractions, ...) load here from the module's dependencies folder, so that a
/// different version another module loaded into the default context neither breaks them nor is broken by them.
/// Everything else (the .NET libraries) comes from the default context, shared with PowerShell.
/// </summary>
internal sealed class StoreLoadContext : AssemblyLoadContext
{
    private readonly string _directory;

    public StoreLoadContext(string directory)
        : base("IncrementalPS", isCollectible: false)
    {
        _directory = directory;
    }

    /// <summary>Whether <paramref name="name"/> ships in the dependencies folder.</summary>
    public bool Ships(AssemblyName name) => name.Name is { Length: > 0 } simple && File.Exists(PathOf(simple));

    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName assemblyName)
        => Ships(assemblyName) ? LoadFromAssemblyPath(PathOf(assemblyName.Name!)) : null;

    private string PathOf(string simpleName) => Path.Combine(_directory, simpleName + ".dll");
}
#endif
