namespace IncrementalPS.Core;

/// <summary>
/// The checkpoint was written in a newer format than this version of IncrementalPS reads. The file was not changed.
/// </summary>
public sealed class CheckpointVersionException : CheckpointException
{
    /// <summary>Creates the exception.</summary>
    public CheckpointVersionException(string filePath, int fileVersion, int supportedVersion)
        : base(
            $"The checkpoint file '{filePath}' has format version {fileVersion}, but this version of IncrementalPS reads " +
            $"format versions up to {supportedVersion}. The file was left unchanged. Update IncrementalPS to use it.",
            filePath)
    {
        FileVersion = fileVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The format version found in the file.</summary>
    public int FileVersion { get; }

    /// <summary>The newest format version this build reads.</summary>
    public int SupportedVersion { get; }
}
