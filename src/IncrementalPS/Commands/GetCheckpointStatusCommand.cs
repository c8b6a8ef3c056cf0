using System;
using System.Management.Automation;
using System.Threading;
using IncrementalPS.Core;
using IncrementalPS.Progress;
using IncrementalPS.Store;

namespace IncrementalPS.Commands;

/// <summary>
/// <para type="synopsis">Shows where checkpoints stand: state, counts, rate, ETA and the live run holding them.</para>
/// </summary>
/// <remarks>Reads without locking, so it works from another shell while a run is live; so does -Wait, which follows the run.</remarks>
[Cmdlet(VerbsCommon.Get, "CheckpointStatus", DefaultParameterSetName = ByName)]
[OutputType(typeof(CheckpointStatus), typeof(SharedCheckpointStatus))]
public sealed class GetCheckpointStatusCommand : PSCmdlet, IDisposable
{
    private const string ByName = "ByName";
    private const string ByPath = "ByPath";

    private CancellationTokenSource? _stop;

    /// <summary>Checkpoint names in the store; wildcards allowed. None: every checkpoint in the store.</summary>
    [Parameter(ParameterSetName = ByName, Position = 0)]
    [ArgumentCompleter(typeof(CheckpointNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    /// <summary>Checkpoint files; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ByPath, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>
    /// A PostgreSQL store shared by many workers (a postgres:// URI or a connection string); default
    /// $env:INCREMENTALPS_STORE. Its checkpoints are SharedCheckpointStatus objects, with their live workers.
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Follow a live run with a progress bar until it ends, then write its final status.</summary>
    [Parameter]
    public SwitchParameter Wait { get; set; }

    /// <summary>Prepares the cancellation Ctrl+C triggers during -Wait.</summary>
    protected override void BeginProcessing() => _stop = new CancellationTokenSource();

    /// <summary>Reads each checkpoint named and writes its status.</summary>
    protected override void ProcessRecord()
    {
        var database = SharedStore.Resolve(this, Store, ParameterSetName == ByName);

        var resolutions = ParameterSetName == ByPath
            ? new CheckpointResolver(SessionState.Path).ByPaths(Path)
            : CheckpointResolver.ByNames(Name, database);

        CheckpointLoop.ForEach(this, resolutions, location =>
        {
            if (!Wait)
            {
                WriteObject(database is not null ? PostgresStatusReader.Read(database, location.Name) : CheckpointInspector.ReadStatus(location));
                return;
            }

            var watcher = new StatusWatcher(this, location.Name);
            object? final = database is not null ? watcher.Follow(database, _stop!.Token) : watcher.Follow(location, _stop!.Token);
            if (final is not null)
            {
                WriteObject(final);
            }
        });
    }

    /// <summary>Ctrl+C: ends the watch; the run goes on.</summary>
    protected override void StopProcessing() => _stop?.Cancel();

    /// <summary>Releases the cancellation.</summary>
    public void Dispose()
    {
        _stop?.Dispose();
        _stop = null;
    }
}
