namespace IncrementalPS.Core;

/// <summary>A checkpoint name that is not allowed.</summary>
public sealed class CheckpointNameException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointNameException(string name, string reason)
        : base(
            $"'{name}' is not a valid checkpoint name: {reason}. Use 1 to {CheckpointName.MaxLength} letters, digits, " +
            "'.', '_' or '-', or give a file path with -Path/--path.",
            null)
    {
        Name = name;
    }

    /// <summary>The rejected name.</summary>
    public string Name { get; }
}
