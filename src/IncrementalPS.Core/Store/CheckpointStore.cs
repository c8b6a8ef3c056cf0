using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace IncrementalPS.Core;

/// <summary>
/// The directory where named checkpoints live: <c>$INCREMENTALPS_HOME</c> when set, else the user's data directory
/// (<c>%LOCALAPPDATA%\IncrementalPS</c> on Windows, <c>$XDG_DATA_HOME/incrementalps</c> or
/// <c>~/.local/share/incrementalps</c> elsewhere).
/// </summary>
internal static class CheckpointStore
{
    /// <summary>The environment variable that overrides the store directory.</summary>
    public const string HomeVariable = "INCREMENTALPS_HOME";

    /// <summary>The extension of checkpoint files in the store.</summary>
    public const string FileExtension = ".checkpoint.jsonl";

    /// <summary>The store directory for this user, resolved from the environment on every call.</summary>
    public static string DefaultDirectory
    {
        get
        {
            var home = Environment.GetEnvironmentVariable(HomeVariable);
            if (!string.IsNullOrWhiteSpace(home))
            {
                return Path.GetFullPath(home);
            }

            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "IncrementalPS");
            }

            var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
            if (!string.IsNullOrWhiteSpace(xdg) && Path.IsPathRooted(xdg))
            {
                return Path.Combine(xdg, "incrementalps");
            }

            var userHome = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(userHome))
            {
                userHome = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return Path.Combine(userHome!, ".local", "share", "incrementalps");
        }
    }

    /// <summary>Every checkpoint in a store directory (default: <see cref="DefaultDirectory"/>), sorted by name.</summary>
    /// <exception cref="CheckpointPathException">The store is a file.</exception>
    public static IReadOnlyList<CheckpointLocation> List(string? storeDirectory = null)
    {
        var directory = storeDirectory ?? DefaultDirectory;
        EngineBoundary.CheckStore(directory);
        if (!Directory.Exists(directory))
        {
            return Array.Empty<CheckpointLocation>();
        }

        try
        {
            return Directory.EnumerateFiles(directory, "*" + FileExtension)
                .Select(Path.GetFileName)
                .Select(f => f!.Substring(0, f.Length - FileExtension.Length))
                .Where(CheckpointName.IsValid)
                .OrderBy(n => n, StringComparer.OrdinalIgnoreCase)
                .Select(n => CheckpointLocation.FromName(n, directory))
                .ToList();
        }
        catch (Exception ex) when (EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, directory);
        }
    }
}
