#if NETSTANDARD2_0
using System.Management.Automation;

namespace IncrementalPS.Loading;

/// <summary>
/// Runs when Windows PowerShell imports the module: installs the resolver for the module's private dependencies
/// before any code that needs System.Text.Json runs. (The net8.0 build needs none: PowerShell 7 brings them.)
/// </summary>
public sealed class DesktopModuleInitializer : IModuleAssemblyInitializer
{
    /// <inheritdoc />
    public void OnImport() => PrivateDependencyResolver.Register();
}
#endif
