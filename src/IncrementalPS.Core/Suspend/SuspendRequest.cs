using System;
using System.IO;
using System.Text.Json;

namespace IncrementalPS.Core;

/// <summary>
/// Asks the live run of a checkpoint kept in a file to suspend: a small request file beside the checkpoint
/// (<see cref="CheckpointLocation.SuspendPath"/>), which works from another process or another user with write access
/// to the folder. The run looks for it about once a second (never per item), stops taking new items, lets those in
/// flight finish and be recorded, ends as Suspended and removes the request. The next run removes a request left over.
/// </summary>
internal static class SuspendRequest
{
    /// <summary>
    /// Places the request for the run holding <paramref name="location"/>, and returns that run's owner (null when the
    /// owner file cannot be read). Changes nothing when it throws.
    /// </summary>
    /// <exception cref="CheckpointNotFoundException">There is no checkpoint file.</exception>
    /// <exception cref="CheckpointFormatException">The file is not a checkpoint.</exception>
    /// <exception cref="CheckpointNotRunningException">No live run holds the checkpoint.</exception>
    /// <exception cref="CheckpointAccessException">The folder is not writable by this user.</exception>
    /// <exception cref="CheckpointFormatException">A file of someone else's has the request's name.</exception>
    public static CheckpointOwner? Place(CheckpointLocation location)
        => EngineBoundary.Call(location, () =>
        {
            location.ThrowIfMissing();
            CheckpointFileCheck.EnsureIsCheckpoint(location.FilePath);
            if (!CheckpointLock.IsHeld(location))
            {
                throw new CheckpointNotRunningException(location.Name, location.FilePath);
            }

            CheckpointSidecars.EnsureOwnSuspendRequest(location);
            var requester = CheckpointOwner.ForCurrentProcess(writer: null);
            AtomicFile.Write(location.SuspendPath, stream =>
            {
                // For people who find the file: who asked, and when. The run reads only that it exists.
                using var json = new Utf8JsonWriter(stream);
                json.WriteStartObject();
                json.WriteString("requested", requester.StartedAt);
                json.WriteString("user", Environment.UserName);
                json.WriteString("host", requester.HostName);
                json.WriteNumber("pid", requester.ProcessId);
                json.WriteEndObject();
            }, durable: false);

            return OwnerFile.TryRead(location.OwnerPath);
        });

    /// <summary>
    /// True when <paramref name="bytes"/> can be a request: a JSON object (<see cref="Place"/> writes who asked and when,
    /// for people; the run needs only the file).
    /// </summary>
    public static bool IsRequest(byte[] bytes)
    {
        try
        {
            using var document = JsonDocument.Parse(bytes);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>True while a request waits to be answered.</summary>
    public static bool IsPlaced(CheckpointLocation location) => File.Exists(location.SuspendPath);

    /// <summary>
    /// Removes the request (answered, or left over from a run that ended before it saw it). A file of someone else's
    /// placed at its name during the run, or one this user cannot read, stays: the next start refuses it, naming it.
    /// </summary>
    public static void Clear(CheckpointLocation location)
    {
        if (CheckpointSidecars.IsOwnSuspendRequest(location))
        {
            FileRetry.Delete(location.SuspendPath);
        }
    }
}
