using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;

namespace IncrementalPS.Store;

/// <summary>
/// Turns -Name and -Path arguments into checkpoint locations: names in the store (wildcards match the checkpoints
/// that exist), paths through PowerShell's providers (relative to the current location, wildcards expanded).
/// A name or path without wildcards is returned even when no file exists, so the engine reports it precisely.
/// </summary>
internal sealed class CheckpointResolver
{
    private readonly PathIntrinsics _paths;

    public CheckpointResolver(PathIntrinsics paths) => _paths = paths;

    /// <summary>One checkpoint by exact name.</summary>
    /// <exception cref="CheckpointNameException">The name is not valid.</exception>
    public static CheckpointLocation FromName(string name) => CheckpointLocation.FromName(name);

    /// <summary>One checkpoint file by path, relative to the current location; the file need not exist.</summary>
    /// <exception cref="CheckpointPathException">The path is empty, a directory, or not on the file system.</exception>
    public CheckpointLocation FromPath(string path)
    {
        var providerPath = _paths.GetUnresolvedProviderPathFromPSPath(path, out var provider, out _);
        if (provider.ImplementingType != typeof(Microsoft.PowerShell.Commands.FileSystemProvider))
        {
            throw new CheckpointPathException(path, $"it is on the {provider.Name} drive; a checkpoint is a file: give a file system path");
        }

        return CheckpointLocation.FromPath(providerPath);
    }

    /// <summary>The checkpoints named, with wildcards; every checkpoint in the store when <paramref name="names"/> is empty.</summary>
    public static IEnumerable<Resolution> ByNames(IReadOnlyList<string>? names) => ByNames(names, null);

    /// <summary>
    /// Like <see cref="ByNames(IReadOnlyList{string})"/>, in the PostgreSQL store <paramref name="database"/> when it is
    /// not null. A store that cannot be listed is one error, and no checkpoints.
    /// </summary>
    public static IEnumerable<Resolution> ByNames(IReadOnlyList<string>? names, PostgresTarget? database)
    {
        var wanted = names ?? Array.Empty<string>();
        IReadOnlyList<CheckpointLocation>? store = null;
        ErrorRecord? listingError = null;
        if (wanted.Count == 0 || wanted.Any(WildcardPattern.ContainsWildcardCharacters))
        {
            try
            {
                store = database is null
                    ? CheckpointStore.List()
                    : PostgresStatusReader.Names(database).Select(name => PostgresCheckpoint.Locate(database, name)).ToList();
            }
            catch (CheckpointException exception) when (database is not null)
            {
                listingError = ErrorRecords.ForCheckpoint(exception, database.Display);
            }
        }

        if (listingError is not null)
        {
            yield return Resolution.Failed(listingError);
            yield break;
        }

        if (wanted.Count == 0)
        {
            foreach (var location in store!)
            {
                yield return Resolution.Found(location);
            }

            yield break;
        }

        foreach (var name in wanted)
        {
            if (WildcardPattern.ContainsWildcardCharacters(name))
            {
                var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase);
                foreach (var location in store!)
                {
                    if (pattern.IsMatch(location.Name))
                    {
                        yield return Resolution.Found(location);
                    }
                }

                continue;
            }

            CheckpointLocation? found = null;
            ErrorRecord? error = null;
            try
            {
                found = database is null ? FromName(name) : PostgresCheckpoint.Locate(database, name);
            }
            catch (CheckpointNameException exception)
            {
                error = ErrorRecords.ForCheckpoint(exception, name);
            }

            yield return found is not null ? Resolution.Found(found) : Resolution.Failed(error!);
        }
    }

    /// <summary>The checkpoint files at the paths, with wildcards expanded.</summary>
    public IEnumerable<Resolution> ByPaths(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            var resolutions = new List<Resolution>();
            try
            {
                // A file whose name holds [ or ] is taken as it is before the name is read as a wildcard.
                if (WildcardPattern.ContainsWildcardCharacters(path) && !System.IO.File.Exists(_paths.GetUnresolvedProviderPathFromPSPath(path)))
                {
                    foreach (var file in ResolveWildcard(path))
                    {
                        resolutions.Add(Resolution.Found(CheckpointLocation.FromPath(file)));
                    }
                }
                else
                {
                    resolutions.Add(Resolution.Found(FromPath(path)));
                }
            }
            catch (CheckpointException exception)
            {
                resolutions.Add(Resolution.Failed(ErrorRecords.ForCheckpoint(exception, path)));
            }

            foreach (var resolution in resolutions)
            {
                yield return resolution;
            }
        }
    }

    private IEnumerable<string> ResolveWildcard(string path)
    {
        try
        {
            return _paths.GetResolvedProviderPathFromPSPath(path, out _);
        }
        catch (ItemNotFoundException)
        {
            // As Get-Item: a wildcard that matches nothing gives nothing, not an error.
            return Array.Empty<string>();
        }
    }
}
