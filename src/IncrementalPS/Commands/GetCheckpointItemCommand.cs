using System;
using System.IO;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;
using IncrementalPS.Keys;
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

    private KeyHasher? _keyHasher;

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

    /// <summary>The checkpoint stores keyed hashes (it was made with -KeyHash): -Key is a clear key, hashed with the same secret, matched exactly.</summary>
    [Parameter]
    public SwitchParameter KeyHash { get; set; }

    /// <summary>The environment variable holding the -KeyHash secret (default INCREMENTALPS_KEY_SECRET).</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeySecretVariable { get; set; }

    /// <summary>The file holding the -KeyHash secret.</summary>
    [Parameter]
    [ValidateNotNullOrEmpty]
    public string? KeySecretPath { get; set; }

    /// <summary>Reads the -KeyHash secret once for every checkpoint named.</summary>
    protected override void BeginProcessing()
    {
        try
        {
            _keyHasher = KeySecretParameters.Create(KeyHash, KeySecretVariable, KeySecretPath, SessionState.Path);
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(ErrorRecords.KeySecretUnavailable(exception));
        }
    }

    /// <summary>Lets the secret go.</summary>
    protected override void EndProcessing() => _keyHasher?.Dispose();

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
        var pattern = Key is null || _keyHasher is not null ? null : WildcardPattern.Get(Key, WildcardOptions.IgnoreCase);
        Func<string, bool>? filter = pattern is null ? null : pattern.IsMatch;

        try
        {
            if (_keyHasher is not null && database is not null)
            {
                // Its secret is not checked against a shared store here, and a wrong one would match nothing, silently.
                WriteError(ErrorRecords.ConflictingParameters(
                    "-KeyHash with Get-CheckpointItem reads checkpoint files only for now; for a PostgreSQL store, list the items without -Key (their keys are the hashes).",
                    "-KeyHash"));
                return;
            }

            if (_keyHasher is not null)
            {
                // A hash matches only the one key it was made from: -Key is exact here, in the form a run stores it.
                CheckpointInspector.EnsureKeyHash(location, _keyHasher);
                var stored = Key is null ? null : _keyHasher.Hash(ItemKey.Bounded(Key));
                filter = stored is null ? null : k => string.Equals(k, stored, StringComparison.Ordinal);
            }

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
