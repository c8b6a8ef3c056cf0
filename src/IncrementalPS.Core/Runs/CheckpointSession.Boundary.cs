using System;
using System.Threading;
#if NET
using System.Runtime.CompilerServices;
#endif

namespace IncrementalPS.Core;

/// <content>
/// The run's public entry points, each behind the engine's error boundary: a front end catches
/// <see cref="CheckpointException"/> only (an I/O failure mid-run is a <see cref="CheckpointIOException"/>).
/// </content>
internal sealed partial class CheckpointSession
{
    /// <inheritdoc cref="StartCore"/>
    /// <exception cref="CheckpointPathException">The path is a directory, or its directory is a file.</exception>
    /// <exception cref="CheckpointAccessException">The file is read-only, or access is denied.</exception>
    /// <exception cref="CheckpointIOException">Reading or writing the file failed.</exception>
    public static CheckpointSession Start(CheckpointLocation location, RunOptions options, IProgress<RunProgress>? progress = null)
    {
        if (location is null)
        {
            throw new ArgumentNullException(nameof(location));
        }

        return EngineBoundary.Call(location, () => StartCore(location, options, progress));
    }

    /// <inheritdoc cref="ProcessCore"/>
    /// <exception cref="CheckpointIOException">Recording the item failed (a full disk): what was recorded before is kept.</exception>
#if NET
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
#endif
    public ItemOutcome Process(string key, Func<ItemAttempt, string?> work, CancellationToken cancellationToken = default)
    {
        try
        {
            return ProcessCore(key, work, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && EngineBoundary.IsRuntimeFailure(ex))
        {
            // Once the run is stopping, an exception is the work's own (it propagates as it was thrown).
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }

    /// <inheritdoc cref="FinishCore"/>
    /// <exception cref="CheckpointIOException">Recording the end of the run failed.</exception>
    public RunSummary Finish()
    {
        try
        {
            return FinishCore();
        }
        catch (Exception ex) when (EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }

    /// <inheritdoc cref="DisposeCore"/>
    public void Dispose()
    {
        try
        {
            DisposeCore();
        }
        catch (Exception ex) when (EngineBoundary.IsRuntimeFailure(ex))
        {
            throw EngineBoundary.Map(ex, Location.FilePath);
        }
    }
}
