using System;
using System.IO;
using System.Text;
using System.Text.Json;

namespace IncrementalPS.Core;

/// <summary>
/// The one place where what the runtime throws becomes the engine's own errors. Every public entry point the front
/// ends call (locations, the store, a run, status, items, reset) goes through it, so a front end catches
/// <see cref="CheckpointException"/> only, and every message names the file and says what to do. Inner exceptions are
/// kept.
/// </summary>
internal static class EngineBoundary
{
    /// <summary>Checks the paths, then runs <paramref name="call"/>, mapping what it throws.</summary>
    public static T Call<T>(CheckpointLocation location, Func<T> call)
    {
        try
        {
            CheckPaths(location);
            return call();
        }
        catch (Exception ex) when (IsRuntimeFailure(ex))
        {
            throw Map(ex, location.FilePath);
        }
    }

    /// <summary>Checks the paths, then runs <paramref name="call"/>, mapping what it throws.</summary>
    public static void Call(CheckpointLocation location, Action call)
        => Call(location, () =>
        {
            call();
            return true;
        });

    /// <summary>A failure of the file system, of the file's content or of a path, as opposed to a bug or a caller's mistake.</summary>
    public static bool IsRuntimeFailure(Exception ex)
        => ex is IOException or UnauthorizedAccessException or JsonException or DecoderFallbackException;

    /// <summary>The engine's error for a runtime failure concerning <paramref name="filePath"/>.</summary>
    public static CheckpointException Map(Exception ex, string filePath) => ex switch
    {
        CheckpointException checkpoint => checkpoint,
        UnauthorizedAccessException => CheckpointAccessException.Denied(filePath, ex),
        JsonException or DecoderFallbackException => new CheckpointCorruptException(filePath, 0, "a record cannot be decoded (" + ex.Message + ")", ex),
        _ => new CheckpointIOException(filePath, ex),
    };

    /// <summary>The error for a path the runtime refuses (invalid characters, not supported, too long).</summary>
    public static CheckpointPathException BadPath(string path, Exception ex)
        => new(path, $"it is not a valid path ({ex.Message.Split('(')[0].Trim()}). Give a valid file path", ex);

    /// <summary>
    /// Refuses a checkpoint path that is a directory, or whose directory is a file, before anything is opened: the
    /// runtime would say "Access denied" or "The file already exists", which tells nobody what is wrong.
    /// </summary>
    public static void CheckPaths(CheckpointLocation location)
    {
        if (Directory.Exists(location.FilePath))
        {
            throw new CheckpointPathException(location.FilePath, "it is a directory, not a checkpoint file. Give the path of a file, or move the directory away");
        }

        for (var directory = location.Directory; !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            if (Directory.Exists(directory))
            {
                return;
            }

            if (File.Exists(directory))
            {
                throw new CheckpointPathException(
                    location.FilePath,
                    $"'{directory}' is a file, not a directory. Point the store or the path at a directory, or move the file away");
            }
        }
    }

    /// <summary>Refuses a store directory that is a file.</summary>
    public static void CheckStore(string directory)
    {
        if (File.Exists(directory))
        {
            throw new CheckpointPathException(
                directory,
                "the store is a file, not a directory. Point the store (incps --store, or INCREMENTALPS_HOME) at a directory, or move the file away");
        }
    }
}
