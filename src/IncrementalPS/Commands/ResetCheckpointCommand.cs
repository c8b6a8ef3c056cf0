using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;
using IncrementalPS.Keys;
using IncrementalPS.Store;

namespace IncrementalPS.Commands;

/// <summary>
/// <para type="synopsis">Removes a checkpoint, or forgets its failed items or some keys so that they run again.</para>
/// </summary>
/// <remarks>
/// Refused while a live run holds the checkpoint. Removing a checkpoint that still holds work (completed items of a
/// -Keep ledger, failed or unfinished items) asks first (ShouldContinue) unless -Force is given; -WhatIf and -Confirm
/// work for every change.
/// </remarks>
[Cmdlet(VerbsCommon.Reset, "Checkpoint", DefaultParameterSetName = ByName, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
public sealed class ResetCheckpointCommand : PSCmdlet
{
    private const string ByName = "ByName";
    private const string ByPath = "ByPath";

    // Keys piped in (Get-CheckpointItem ... | Reset-Checkpoint <name>), as the checkpoint stores them, and the checkpoints
    // the items say they come from: gathered, and forgotten in one rewrite at the end, in the one checkpoint named.
    private readonly HashSet<string> _pipedKeys = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pipedFrom = new(StringComparer.OrdinalIgnoreCase);
    private bool _keysFromPipeline;
    private bool _namedOnCommandLine;
    private bool _keysAsStored;
    private bool _yesToAll;
    private bool _noToAll;
    private KeyHasher? _keyHasher;
    private PostgresTarget? _database;

    /// <summary>Checkpoint names in the store; wildcards allowed.</summary>
    [Parameter(ParameterSetName = ByName, Mandatory = true, Position = 0)]
    [ArgumentCompleter(typeof(CheckpointNameCompleter))]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Name { get; set; } = Array.Empty<string>();

    /// <summary>Checkpoint files; wildcards allowed. Bound from Get-CheckpointStatus output.</summary>
    [Parameter(ParameterSetName = ByPath, Mandatory = true, ValueFromPipelineByPropertyName = true)]
    [Alias("FullName")]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[] Path { get; set; } = Array.Empty<string>();

    /// <summary>Only forget the failed items, so that the next run processes them again.</summary>
    [Parameter]
    public SwitchParameter Failed { get; set; }

    /// <summary>
    /// Only forget these keys (exact, case-sensitive), so that the next run processes them again. Bound from
    /// Get-CheckpointItem output: the keys piped in are forgotten together, once the input ends.
    /// </summary>
    [Parameter(ValueFromPipelineByPropertyName = true)]
    [ValidateNotNullOrEmpty]
    public string[]? Key { get; set; }

    /// <summary>The checkpoint a piped item comes from (Get-CheckpointItem's Checkpoint property): must be the one named.</summary>
    [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
    public string? Checkpoint { get; set; }

    /// <summary>Drop saved output and error texts, keeping every item's state.</summary>
    [Parameter]
    public SwitchParameter Output { get; set; }

    /// <summary>The checkpoint stores keyed hashes (it was made with -KeyHash): -Key gives clear keys, hashed with the same secret.</summary>
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

    /// <summary>Remove a checkpoint with unfinished or failed work without asking.</summary>
    [Parameter]
    public SwitchParameter Force { get; set; }

    /// <summary>
    /// A PostgreSQL store shared by many workers (a postgres:// URI or a connection string); default
    /// $env:INCREMENTALPS_STORE. Removing a checkpoint there is refused while workers are live, unless -Force.
    /// </summary>
    [Parameter(ParameterSetName = ByName)]
    [ValidateNotNullOrEmpty]
    public string? Store { get; set; }

    /// <summary>Refuses -Failed, -Key and -Output together, reads the -KeyHash secret, and refuses a -Store that names no PostgreSQL store.</summary>
    protected override void BeginProcessing()
    {
        if ((Failed ? 1 : 0) + (Key is null ? 0 : 1) + (Output ? 1 : 0) > 1)
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                "Use -Failed to forget every failed item, -Key to forget given keys, or -Output to drop saved output and error texts: one at a time.", null));
        }

        _keysFromPipeline = MyInvocation.ExpectingInput && Key is null;
        _namedOnCommandLine = MyInvocation.BoundParameters.ContainsKey(nameof(Name)) || MyInvocation.BoundParameters.ContainsKey(nameof(Path));
        if (KeyHash && Key is null && !_keysFromPipeline)
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                "-KeyHash says how the keys given with -Key are stored: give -Key too, or leave -KeyHash out (the other resets need no secret).", null));
        }

        try
        {
            _keyHasher = KeySecretParameters.Create(KeyHash, KeySecretVariable, KeySecretPath, SessionState.Path);
        }
        catch (ArgumentException exception)
        {
            ThrowTerminatingError(ErrorRecords.KeySecretUnavailable(exception));
        }

        _database = SharedStore.Resolve(this, Store, ParameterSetName == ByName);
    }

    /// <summary>Forgets the keys piped in, if any, and lets the secret go.</summary>
    protected override void EndProcessing()
    {
        if (_pipedKeys.Count > 0)
        {
            ForgetPipedKeys();
        }

        _keyHasher?.Dispose();
    }

    /// <summary>Resets each checkpoint named, or gathers the keys piped in.</summary>
    protected override void ProcessRecord()
    {
        if (_keysFromPipeline && Key is not null)
        {
            if (Failed || Output || KeyHash)
            {
                ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                    "The items piped in give the keys to forget as the checkpoint stores them (hashes, for a -KeyHash checkpoint): " +
                    "leave -Failed, -Output and -KeyHash out.", Key));
            }

            if (!_namedOnCommandLine)
            {
                ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                    "Name the checkpoint the keys piped in belong to: ... | Reset-Checkpoint <name> (or -Path <file>).", Key));
            }

            _pipedKeys.UnionWith(Key);
            if (Checkpoint is not null)
            {
                _pipedFrom.Add(Checkpoint);
            }

            return;
        }

        ResetEach(Resolve());
    }

    private List<Resolution> Resolve()
        => new(ParameterSetName == ByPath
            ? new CheckpointResolver(SessionState.Path).ByPaths(Path)
            : CheckpointResolver.ByNames(Name, _database));

    /// <summary>The keys piped in go to one checkpoint, the one their items came from, or nowhere.</summary>
    private void ForgetPipedKeys()
    {
        var resolutions = Resolve();
        var found = resolutions.FindAll(resolution => resolution.Error is null);
        if (found.Count > 1)
        {
            ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                Format("The keys piped in belong to one checkpoint, and {0} checkpoints match: name exactly one. Nothing was changed.", found.Count), null));
        }

        foreach (var from in _pipedFrom)
        {
            if (found.Count == 1 && !string.Equals(from, found[0].Location!.Name, StringComparison.OrdinalIgnoreCase))
            {
                ThrowTerminatingError(ErrorRecords.ConflictingParameters(
                    Format("The items piped in come from checkpoint '{0}', not '{1}': name the checkpoint they come from. Nothing was changed.", from, found[0].Location!.Name),
                    null));
            }
        }

        Key = new string[_pipedKeys.Count];
        _pipedKeys.CopyTo(Key);
        _keysAsStored = true;
        ResetEach(resolutions);
    }

    private void ResetEach(List<Resolution> resolutions)
    {
        CheckpointLoop.ForEach(this, resolutions, location =>
        {
            if (_database is not null)
            {
                new SharedCheckpointReset(this, _database).Reset(location, Failed, Key, _keysAsStored, Output, _keyHasher, Force);
            }
            else
            {
                Reset(location);
            }
        });
    }

    private void Reset(CheckpointLocation location)
    {
        location.ThrowIfMissing();

        // Checked before asking, so that nobody confirms a change that is then refused; the engine checks again.
        if (CheckpointInspector.IsRunning(location))
        {
            throw new CheckpointLockedException(location.FilePath, CheckpointInspector.ReadStatus(location).Owner);
        }

        CheckpointReset.EnsureOursBeforeAsking(location);

        if (Failed)
        {
            if (Approve(location, "Forget the failed items so that the next run processes them again"))
            {
                var count = CheckpointReset.ResetFailed(location);
                WriteVerbose(Format("Forgot {0} failed item(s) in checkpoint '{1}'.", count, location.Name));
            }
        }
        else if (Key is not null)
        {
            if (Approve(location, Format("Forget {0} key(s) so that the next run processes them again", Key.Length)))
            {
                var count = _keysAsStored
                    ? CheckpointReset.ResetStoredKeys(location, Key)
                    : CheckpointReset.ResetKeys(location, SharedCheckpointReset.AsStored(Key), _keyHasher);
                WriteVerbose(Format("Forgot {0} of {1} key(s) in checkpoint '{2}'.", count, Key.Length, location.Name));
                if (count < Key.Length)
                {
                    WriteWarning(Format(
                        "{0} of the {1} key(s) given are not in checkpoint '{2}', so nothing was forgotten for them. Keys are exact and " +
                        "case-sensitive; see them with 'Get-CheckpointItem {2}'.",
                        Key.Length - count,
                        Key.Length,
                        location.Name));
                }
            }
        }
        else if (Output)
        {
            if (Approve(location, "Drop the saved output and error texts, keeping every item's state"))
            {
                var count = CheckpointReset.DropSavedText(location);
                WriteVerbose(Format("Dropped the saved text of {0} item(s) in checkpoint '{1}'.", count, location.Name));
            }
        }
        else if (Approve(location, "Remove the checkpoint") && ConfirmLosingWork(location))
        {
            CheckpointReset.Remove(location);
            WriteVerbose(Format("Removed checkpoint '{0}'.", location.Name));
        }
    }

    private bool ConfirmLosingWork(CheckpointLocation location)
    {
        if (Force)
        {
            return true;
        }

        string query;
        try
        {
            var status = CheckpointInspector.ReadStatus(location);
            if (status.Completed == 0 && status.Failed == 0 && status.InFlight == 0)
            {
                // Nothing recorded: removing it loses no work. A -Keep ledger's completed items are work like any
                // other: without them the next run does everything again.
                return true;
            }

            query = Format(
                "Checkpoint '{0}' is {1}: {2} completed, {3} failed, {4} unfinished. Without it the next run starts from the " +
                "first item. Remove it?",
                location.Name,
                status.State,
                status.Completed,
                status.Failed,
                status.InFlight);
        }
        catch (CheckpointException exception) when (exception is not CheckpointFormatException)
        {
            // A damaged checkpoint may be removed; a file that is no checkpoint is refused (NotACheckpoint), unasked.
            query = Format("Checkpoint '{0}' cannot be read ({1}). Remove it?", location.Name, exception.Message);
        }

        return AskToRemove(query, location.FilePath);
    }

    /// <summary>Asks (ShouldContinue) before removing a checkpoint with work in it; an error saying to add -Force when nobody can be asked.</summary>
    internal bool AskToRemove(string query, string target)
    {
        try
        {
            return ShouldContinue(query, "Remove checkpoint", ref _yesToAll, ref _noToAll);
        }
        catch (Exception exception) when (exception is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException)
        {
            // Nobody can be asked (pwsh -NonInteractive, a job, a host without prompts): say how to go on without asking.
            WriteError(ErrorRecords.ForceRequired(
                query.Replace(" Remove it?", string.Empty) +
                " Nobody can be asked to confirm removing it in this session: add -Force to remove it.",
                target,
                exception));
            return false;
        }
    }

    /// <summary>
    /// ShouldProcess, with -Confirm in a session where nobody can be asked turned into an error that says what to do
    /// instead of the host's own "NonInteractive mode" error.
    /// </summary>
    internal bool Approve(CheckpointLocation location, string action)
    {
        try
        {
            return ShouldProcess(location.FilePath, action);
        }
        catch (Exception exception) when (exception is PSInvalidOperationException or System.Management.Automation.Host.HostException or NotImplementedException)
        {
            WriteError(ErrorRecords.ForceRequired(
                Format(
                    "-Confirm asks before changing checkpoint '{0}', but nobody can be asked in this session: run without -Confirm " +
                    "(or with -Confirm:$false), adding -Force where removing it needs consent.",
                    location.Name),
                location.FilePath,
                exception));
            return false;
        }
    }

    private static string Format(string format, params object?[] args) => string.Format(CultureInfo.CurrentCulture, format, args);
}
