using System.Reflection;

namespace IncrementalPS.Loading;

/// <summary>How the module names itself in the checkpoints it writes.</summary>
internal static class ModuleIdentity
{
    /// <summary>"IncrementalPS 0.1.0": recorded as the checkpoint's writer and shown as a live run's owner.</summary>
    public static string Writer { get; } = "IncrementalPS " + Version();

    private static string Version()
    {
        var assembly = typeof(ModuleIdentity).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // Drop the "+commit" suffix the SDK appends.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "0.0.0";
    }
}
