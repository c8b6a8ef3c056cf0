using System.Management.Automation;
using IncrementalPS.Core;

namespace IncrementalPS.Store;

/// <summary>A checkpoint named on the command line, or the error that explains why it could not be found.</summary>
internal readonly struct Resolution
{
    private Resolution(CheckpointLocation? location, ErrorRecord? error)
    {
        Location = location;
        Error = error;
    }

    public CheckpointLocation? Location { get; }

    public ErrorRecord? Error { get; }

    public static Resolution Found(CheckpointLocation location) => new(location, null);

    public static Resolution Failed(ErrorRecord error) => new(null, error);
}
