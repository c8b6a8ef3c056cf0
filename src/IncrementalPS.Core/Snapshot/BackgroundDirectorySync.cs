using System.IO;
using System.Threading.Tasks;

namespace IncrementalPS.Core;

/// <summary>
/// A directory flush (<see cref="DirectorySync.Flush"/>) running on the thread pool, for a name whose survival of a power
/// failure may follow its creation by a moment: a new journal at <see cref="Durability.Normal"/>, which promises that
/// much of the last second anyway. Its disk wait then overlaps the run's first items instead of delaying them.
/// </summary>
internal sealed class BackgroundDirectorySync
{
    private readonly Task _flush;

    private BackgroundDirectorySync(Task flush) => _flush = flush;

    /// <summary>
    /// Starts flushing <paramref name="directory"/>. A fault a test set for this thread's next flush
    /// (<see cref="DirectorySync.FailNextOnThisThread"/>) is taken here and raised by the flush.
    /// </summary>
    public static BackgroundDirectorySync Start(string directory)
    {
        var fault = DirectorySync.FailNextOnThisThread;
        DirectorySync.FailNextOnThisThread = null;
        return new BackgroundDirectorySync(Task.Run(() =>
        {
            DirectorySync.FailNextOnThisThread = fault;
            DirectorySync.Flush(directory);
        }));
    }

    /// <summary>True once the flush ended, well or not: <see cref="Wait"/> then returns or throws at once.</summary>
    public bool IsFinished => _flush.IsCompleted;

    /// <summary>Waits for the flush to end.</summary>
    /// <exception cref="DirectorySyncException">The directory could not be flushed.</exception>
    /// <exception cref="IOException">The flush failed otherwise.</exception>
    public void Wait() => _flush.GetAwaiter().GetResult();
}
