using System;
using System.IO;

namespace IncrementalPS.Core;

/// <summary>
/// Where a checkpoint lives: its journal file, and the lock and owner files beside it.
/// Made from a name in a store directory, or from an explicit file path.
/// </summary>
internal sealed class CheckpointLocation
{
    private CheckpointLocation(string name, string filePath)
    {
        Name = name;
        FilePath = CanonicalPath.Of(filePath);
    }

    private CheckpointLocation(string name, string display, bool inDatabase)
    {
        Name = name;
        FilePath = display;
        InDatabase = inDatabase;
    }

    /// <summary>True for a checkpoint kept in a database (<see cref="FilePath"/> then names it for messages only).</summary>
    public bool InDatabase { get; }

    /// <summary>The checkpoint's name (for an explicit path: the file name without its extension).</summary>
    public string Name { get; }

    /// <summary>Full path of the journal file.</summary>
    public string FilePath { get; }

    /// <summary>The directory holding the journal.</summary>
    public string Directory => Path.GetDirectoryName(FilePath) ?? ".";

    /// <summary>The lock file: held open exclusively by the run that owns the checkpoint.</summary>
    public string LockPath => FilePath + ".lock";

    /// <summary>The owner file: who holds the lock (process, host, start time).</summary>
    public string OwnerPath => FilePath + ".owner";

    /// <summary>The in-flight file: which items the owning run is processing right now (memory-mapped, binary).</summary>
    public string InFlightPath => FilePath + ".inflight";

    /// <summary>The suspend request: present while someone asks the live run to stop after its items in flight.</summary>
    public string SuspendPath => FilePath + ".suspend";

    /// <summary>True when the journal file exists.</summary>
    public bool Exists => File.Exists(FilePath);

    /// <summary>
    /// Throws unless the journal file exists. A directory in its place (or a file where its directory should be) is
    /// a path the user must fix, not a checkpoint that is missing, so it gets the error that says so.
    /// </summary>
    /// <exception cref="CheckpointPathException">The path is a directory, or its directory is a file.</exception>
    /// <exception cref="CheckpointNotFoundException">No checkpoint is there.</exception>
    public void ThrowIfMissing()
    {
        if (Exists)
        {
            return;
        }

        EngineBoundary.CheckPaths(this);
        throw new CheckpointNotFoundException(FilePath);
    }

    /// <summary>The checkpoint called <paramref name="name"/> in a store directory (default: <see cref="CheckpointStore.DefaultDirectory"/>).</summary>
    /// <exception cref="CheckpointNameException">The name is not valid.</exception>
    /// <exception cref="CheckpointPathException">The store directory is not a valid path, or is a file.</exception>
    public static CheckpointLocation FromName(string name, string? storeDirectory = null)
    {
        CheckpointName.Validate(name);
        var store = storeDirectory ?? CheckpointStore.DefaultDirectory;
        var directory = FullPath(store);
        EngineBoundary.CheckStore(directory);
        return new CheckpointLocation(name, Path.Combine(directory, name + CheckpointStore.FileExtension));
    }

    /// <summary>
    /// The checkpoint called <paramref name="name"/> in a database; <paramref name="display"/> names it in messages and
    /// must hold no credentials. Nothing on disk belongs to it.
    /// </summary>
    /// <exception cref="CheckpointNameException">The name is not valid.</exception>
    public static CheckpointLocation InDatabaseNamed(string name, string display)
    {
        CheckpointName.Validate(name);
        return new CheckpointLocation(name, display, inDatabase: true);
    }

    /// <summary>The checkpoint kept in an explicit file (for example beside a scheduled task's script).</summary>
    /// <exception cref="CheckpointPathException">The path is empty, not valid, a directory, or a Windows device name.</exception>
    public static CheckpointLocation FromPath(string path)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw new CheckpointPathException(path ?? string.Empty, "it is empty. Give the path of a checkpoint file");
        }

        var full = FullPath(path);
        if (System.IO.Directory.Exists(full))
        {
            throw new CheckpointPathException(full, "it is a directory. Give the path of a checkpoint file in it, or a name");
        }

        if (ReservedDeviceName.Find(Path.GetFileName(full)) is { } device)
        {
            throw new CheckpointPathException(full, $"its file name is the device '{device}' on Windows ({ReservedDeviceName.Rule}). Give another file name");
        }

        return new CheckpointLocation(NameFromFile(full), full);
    }

    /// <inheritdoc />
    public override string ToString() => FilePath;

    private static string FullPath(string path)
    {
        try
        {
            return Path.GetFullPath(path);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            throw EngineBoundary.BadPath(path, ex);
        }
    }

    private static string NameFromFile(string full)
    {
        var fileName = Path.GetFileName(full);
        if (fileName.EndsWith(CheckpointStore.FileExtension, StringComparison.OrdinalIgnoreCase))
        {
            return fileName.Substring(0, fileName.Length - CheckpointStore.FileExtension.Length);
        }

        return Path.GetFileNameWithoutExtension(fileName);
    }
}
