namespace IncrementalPS.Core;

/// <summary>The database holds checkpoint tables of a newer schema version than this build knows: nothing was changed.</summary>
public sealed class CheckpointSchemaVersionException : CheckpointException
{
    /// <summary>Creates the error for the store at <paramref name="store"/>.</summary>
    public CheckpointSchemaVersionException(string store, int schemaVersion, int supportedVersion)
        : base(
            $"The PostgreSQL store '{store}' has checkpoint schema version {schemaVersion}, but this version of IncrementalPS " +
            $"knows versions up to {supportedVersion}. Nothing was changed. Update IncrementalPS on this machine to use it.",
            store)
    {
        SchemaVersion = schemaVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The version found in the database.</summary>
    public int SchemaVersion { get; }

    /// <summary>The newest version this build knows.</summary>
    public int SupportedVersion { get; }
}
