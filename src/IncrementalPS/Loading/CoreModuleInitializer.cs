#if NET
using System;
using System.IO;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;
using System.Threading;

namespace IncrementalPS.Loading;

/// <summary>
/// Runs when PowerShell 7 imports the module: the documented pattern for module dependency conflicts
/// (learn.microsoft.com/powershell/scripting/dev-cross-plat/resolving-dependency-conflicts). The cmdlets stay in the
/// default context; when it cannot find an assembly that ships in the module's dependencies folder (the engine, and
/// through it Npgsql and its dependencies), this hands it over from <see cref="StoreLoadContext"/>. The engine's types
/// exist once, in that context, and the cmdlets use them directly. A build run beside its dependencies (the tests,
/// incps) never asks: the default context finds them first.
/// </summary>
/// <remarks>
/// The cmdlets' parameter types (Durability, ItemState) come from the engine, and PowerShell reads them before it calls
/// <see cref="OnImport"/>: so IncrementalPS.psm1 loads this assembly and calls <see cref="Register"/> before Import-Module.
/// </remarks>
public sealed class CoreModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    /// <summary>The folder beside IncrementalPS.dll that holds the engine and its dependencies in the module layout.</summary>
    public const string DependencyFolder = "dependencies";

    private static readonly Lazy<StoreLoadContext> s_context = new(
        () => new StoreLoadContext(Path.Combine(Path.GetDirectoryName(typeof(CoreModuleInitializer).Assembly.Location) ?? ".", DependencyFolder)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static int s_registered;

    /// <summary>Starts handing the engine and its dependencies over from the module's context; once per process.</summary>
    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += Resolve;
        }
    }

    /// <inheritdoc />
    public void OnImport()
    {
        Register();
        EngineTypeAccelerators.Add(typeof(Core.CheckpointStatus).Assembly);
    }

    /// <inheritdoc />
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        // The engine stays loaded (a context of loaded code cannot be unloaded here); a new import registers again.
        EngineTypeAccelerators.Remove();
        if (Interlocked.Exchange(ref s_registered, 0) == 1)
        {
            AssemblyLoadContext.Default.Resolving -= Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
        // Only what ships in the folder: every other request is left to its own resolvers, so other modules load as before.
        => s_context.Value.Ships(name) ? s_context.Value.LoadFromAssemblyName(name) : null;
}
#endif
