using System;
using System.Globalization;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Store;

namespace IncrementalPS.Commands;

/// <summary>
/// <para type="synopsis">Asks the live run of a checkpoint, started in another shell or by another user, to stop after the items in flight.</para>
/// </summary>
/// <remarks>
/// Returns once the request is placed (a small file beside the checkpoint): within about a second the run starts
/// nothing new, then finishes and records its items in flight, ends as Suspended and warns how to resume. Follow it
/// with Get-CheckpointStatus -Wait. Running the same Invoke-Incremental command again resumes. A checkpoint with no
/// live run is a CheckpointNotRunning error.
/// </remarks>
[Cmdlet(VerbsLifecycle.Suspend, "Checkpoint", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
[OutputType(typeof(CheckpointStatus), typeof(SharedCheckpointStatus))]
public sealed class SuspendCheckpointCommand : PSCmdlet
{
    private const string ByName = "ByName";
    private const string ByPath = "ByPath";

    /// <summary>Checkpoint names in the store (exact names: a suspend is meant for runs you can name).</summary>
    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 0, ValueFromPipeline = true)]
    [ArgumentCompleter(typeof(CheckpointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Checkpoint files. Bound from Get-CheckpointStatus output.</summary>
    [Parameter(ParameterSetName = ByPath, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>
    /// A PostgreSQL store shared by many workers (a postgres:// URI or a connection string); default
    /// $env:INCREMENTALPS_STORE. Every live worker of the checkpoint is asked; each notices it with its heartbeat.
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Write the checkpoint's status (still Running, until its items in flight are recorded) after asking.</summary>
    [Parameter]
    public SwitchParameter PassThru { get; set; }

    /// <summary>Asks each checkpoint's live run to suspend.</summary>
    protected override void ProcessRecord()
    {
        var database = SharedStore.Resolve(this, Store, ParameterSetName == ByName);
        if (database is not null)
        {
            CheckpointLoop.ForEach(this, CheckpointResolver.ByNames(Name, database), location => SuspendShared(database, location));
            return;
        }

        var resolver = new CheckpointResolver(SessionState.Path);
        var names = ParameterSetName == ByPath ? Path : Name;
        foreach (var name in names)
        {
            CheckpointLoop.ForEach(this, new[] { Resolve(resolver, name) }, Suspend);
        }
    }

    private Resolution Resolve(CheckpointResolver resolver, string name)
    {
        try
        {
            return Resolution.Found(ParameterSetName == ByPath ? resolver.FromPath(name) : CheckpointResolver.FromName(name));
        }
        catch (CheckpointException exception)
        {
            return Resolution.Failed(Errors.ErrorRecords.ForCheckpoint(exception, name));
        }
    }

    private void SuspendShared(PostgresTarget database, CheckpointLocation location)
    {
        if (!ShouldProcess(location.FilePath, "Suspend every live worker after its items in flight"))
        {
            return;
        }

        var workers = PostgresSuspend.Place(database, location.Name);
        WriteVerbose(string.Format(
            CultureInfo.CurrentCulture,
            "Asked the {0} live worker(s) of checkpoint '{1}' to suspend: each notices it with its heartbeat (every third of its lease), " +
            "finishes and records its items in flight, starts nothing new, and ends Suspended. Follow it with 'Get-CheckpointStatus {1} -Store … -Wait'.",
            workers,
            location.Name));
        if (PassThru)
        {
            WriteObject(PostgresStatusReader.Read(database, location.Name));
        }
    }

    private void Suspend(CheckpointLocation location)
    {
        if (!ShouldProcess(location.FilePath, "Suspend the live run after its items in flight"))
        {
            return;
        }

        var owner = SuspendRequest.Place(location);
        var command = ParameterSetName == ByPath ? "-Path '" + location.FilePath + "'" : location.Name;
        WriteVerbose(string.Format(
            CultureInfo.CurrentCulture,
            "Asked the run of checkpoint '{0}' ({1}) to suspend: it finishes and records its items in flight, starts nothing new, " +
            "and ends Suspended. Follow it with 'Get-CheckpointStatus {2} -Wait'.",
            location.Name,
            owner?.ToString() ?? "holder unknown",
            command));
        if (PassThru)
        {
            WriteObject(CheckpointInspector.ReadStatus(location));
        }
    }
}
