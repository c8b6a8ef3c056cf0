using System;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Store;

namespace IncrementalPS.Commands;

/// <summary>
/// <para type="synopsis">Shows where checkpoints stand: state, counts, rate, ETA and the live run holding them.</para>
/// </summary>
/// <remarks>Reads without locking, so it works from another shell while a run is live.</remarks>
[Cmdlet(VerbsCommon.Get, "CheckpointStatus", DefaultParameterSetName = ByName)]
[OutputType(typeof(CheckpointStatus))]
public sealed class GetCheckpointStatusCommand : PSCmdlet
{
    private const string ByName = "ByName";
    private const string ByPath = "ByPath";

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

    /// <summary>Reads each checkpoint named and writes its status.</summary>
    protected override void ProcessRecord()
    {
        var resolutions = ParameterSetName == ByPath
            ? new CheckpointResolver(SessionState.Path).ByPaths(Path)
            : CheckpointResolver.ByNames(Name);

        CheckpointLoop.ForEach(this, resolutions, location => WriteObject(CheckpointInspector.ReadStatus(location)));
    }
}
