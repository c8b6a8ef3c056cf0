#if NETSTANDARD2_0
using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;

namespace IncrementalPS.Loading;

/// <summary>
/// Windows PowerShell has no binding redirects for modules, and System.Text.Json 8 and its dependencies (System.Memory,
/// System.Runtime.CompilerServices.Unsafe, ...) refer to each other at versions that differ from the files shipped.
/// This resolver acts as the missing redirect, and only that: it answers a failed load (AssemblyResolve fires only
/// after normal binding failed) for an assembly whose file ships beside this one, with the same public key token
/// and a version at least the one asked for. An assembly of that name already loaded by another module, recent
/// enough, is preferred, so one process keeps one copy of each type. Requests it cannot answer are left to others,
/// so it never changes how other modules' dependencies load.
/// </summary>
internal static class PrivateDependencyResolver
{
    private static readonly string s_directory = Path.GetDirectoryName(typeof(PrivateDependencyResolver).Assembly.Location) ?? ".";
    private static int s_registered;

    public static void Register()
    {
        if (Interlocked.Exchange(ref s_registered, 1) == 0)
        {
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }
    }

    private static Assembly? Resolve(object? sender, ResolveEventArgs args)
    {
        try
        {
            return TryResolve(args);
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or BadImageFormatException or UnauthorizedAccessException
            or NotSupportedException or System.Security.SecurityException)
        {
            // The handler runs inside every failed load in the process, other modules' too: an exception here would
            // replace their own error with ours. Not answering lets the loader report the original failure.
            return null;
        }
    }

    private static Assembly? TryResolve(ResolveEventArgs args)
    {
        var requested = new AssemblyName(args.Name);
        if (string.IsNullOrEmpty(requested.Name))
        {
            return null;
        }

        var file = Path.Combine(s_directory, requested.Name + ".dll");
        if (!File.Exists(file))
        {
            return null;
        }

        var loaded = AppDomain.CurrentDomain.GetAssemblies()
            .Where(a => Fits(requested, a.GetName()))
            .OrderByDescending(a => a.GetName().Version)
            .FirstOrDefault();
        if (loaded is not null)
        {
            return loaded;
        }

        var shipped = AssemblyName.GetAssemblyName(file);
        return Fits(requested, shipped) ? Assembly.LoadFrom(file) : null;
    }

    private static bool Fits(AssemblyName requested, AssemblyName candidate)
        => string.Equals(requested.Name, candidate.Name, StringComparison.OrdinalIgnoreCase)
            && (requested.Version is null || (candidate.Version is not null && candidate.Version >= requested.Version))
            && TokensMatch(requested.GetPublicKeyToken(), candidate.GetPublicKeyToken());

    private static bool TokensMatch(byte[]? requested, byte[]? candidate)
        => requested is null || requested.Length == 0 || (candidate is not null && requested.SequenceEqual(candidate));
}
#endif
