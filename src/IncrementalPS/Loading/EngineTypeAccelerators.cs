#if NET
using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace IncrementalPS.Loading;

/// <summary>
/// Makes the engine's public types nameable in scripts (<c>[IncrementalPS.Core.StopForLaterException]</c>,
/// <c>catch [IncrementalPS.Core.CheckpointException]</c>, <c>-is [IncrementalPS.Core.CheckpointStatus]</c>) when the
/// engine lives in the module's own load context: PowerShell resolves a type name only among the default context's
/// assemblies, so each public type is added as a type accelerator under its full name, and removed with the module.
/// </summary>
internal static class EngineTypeAccelerators
{
    private static readonly object s_gate = new();
    private static readonly List<string> s_added = new();

    public static void Add(Assembly engine)
    {
        if (AssemblyLoadContext.GetLoadContext(engine) == AssemblyLoadContext.Default || Accelerators() is not { } accelerators)
        {
            // Beside its dependencies (tests, a development build) the engine is in the default context: names resolve.
            return;
        }

        var add = accelerators.GetMethod("Add", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string), typeof(Type) }, null);
        var get = accelerators.GetProperty("Get", BindingFlags.Public | BindingFlags.Static);
        if (add is null || get?.GetValue(null) is not Dictionary<string, Type> existing)
        {
            return;
        }

        lock (s_gate)
        {
            foreach (var type in engine.GetExportedTypes())
            {
                if (type.FullName is { } name && !existing.ContainsKey(name))
                {
                    add.Invoke(null, new object[] { name, type });
                    s_added.Add(name);
                }
            }
        }
    }

    public static void Remove()
    {
        var remove = Accelerators()?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
        lock (s_gate)
        {
            foreach (var name in s_added)
            {
                remove?.Invoke(null, new object[] { name });
            }

            s_added.Clear();
        }
    }

    // TypeAccelerators is not public API, but its Add/Get/Remove are what modules have long used for this.
    private static Type? Accelerators() => typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
}
#endif
