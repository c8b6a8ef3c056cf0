using System;
using System.IO;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;
using IncrementalPS.Store;

namespace IncrementalPS.Commands;

/// <summary>
/// <para type="synopsis">Lists the items a checkpoint knows: key, state, attempts, error, completion time, duration.</para>
/// </summary>
[Cmdlet(VerbsCommon.Get, "CheckpointItem", DefaultParameterSetName = ByName)]
[OutputType(typeof(CheckpointItem))]
public sealed class GetCheckpointItemCommand : PSCmdlet
{
    private const string ByName = "ByName";
    private const string ByPath = "ByPath";

    /// <summary>The note property naming the checkpoint an item belongs to.</summary>
    internal const string CheckpointProperty = "Checkpoint";

    /// <summary>The checkpoint's name in the store.</summary>
    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(CheckpointNameCompleter))]
    [ValidateNotNullOrEmpty]
    public string Name { get; set; } = string.Empty;

    /// <summary>The checkpoint's file.</summary>
    [Parameter(ParameterSetName = ByPath, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [ValidateNotNullOrEmpty]
    public string Path { get; set; } = string.Empty;

    /// <summary>Only items in this state.</summary>
    [Parameter]
    public ItemState State { get; set; }

    /// <summary>Only items whose key matches this wildcard pattern (case-insensitive).</summary>
    [Parameter]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string? Key { get; set; }

    /// <summary>A PostgreSQL store shared by many workers (a postgres:// URI or a connection string); default $env:INCREMENTALPS_STORE.</summary>
    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Reads the checkpoint's items and writes those that match.</summary>
    protected override void ProcessRecord()
    {
        var database = SharedStore.Resolve(this, Store, ParameterSetName == ByName);

        CheckpointLocation location;
        try
        {
            location = ParameterSetName == ByPath
                ? new CheckpointResolver(SessionState.Path).FromPath(Path)
                : database is not null ? PostgresCheckpoint.Locate(database, Name) : CheckpointResolver.FromName(Name);
        }
        catch (CheckpointException exception)
        {
            WriteError(ErrorRecords.ForCheckpoint(exception, ParameterSetName == ByPath ? Path : Name));
            return;
        }

        ItemState? state = MyInvocation.BoundParameters.ContainsKey(nameof(State)) ? State : null;
        var pattern = Key is null ? null : WildcardPattern.Get(Key, WildcardOptions.IgnoreCase);
        Func<string, bool>? filter = pattern is null ? null : pattern.IsMatch;

        try
        {
            var items = database is not null
                ? PostgresItemReader.Read(database, location.Name, state, filter)
                : CheckpointInspector.ReadItems(location, state, filter);
            foreach (var item in items)
            {
                // The engine's own type, with the checkpoint's name added so that rows from several checkpoints can be
                // told apart (the format file groups the table by it).
                var output = new PSObject(item);
                output.Properties.Add(new PSNoteProperty(CheckpointProperty, location.Name));
                WriteObject(output);
            }
        }
        catch (CheckpointException exception)
        {
            WriteError(ErrorRecords.ForCheckpoint(exception, location.FilePath));
        }
    }
}
