namespace IncrementalPS.Errors;

/// <summary>
/// The stable error IDs the cmdlets write (the first part of FullyQualifiedErrorId). Scripts and tests match on
/// these, so they never change meaning.
/// </summary>
internal static class ErrorIds
{
    public const string InvalidCheckpointName = nameof(InvalidCheckpointName);
    public const string InvalidCheckpointPath = nameof(InvalidCheckpointPath);
    public const string CheckpointLocked = nameof(CheckpointLocked);
    public const string CheckpointCorrupt = nameof(CheckpointCorrupt);
    public const string CheckpointFormatTooNew = nameof(CheckpointFormatTooNew);
    public const string NotACheckpoint = nameof(NotACheckpoint);
    public const string CheckpointNotFound = nameof(CheckpointNotFound);
    public const string CheckpointNotRunning = nameof(CheckpointNotRunning);
    public const string CheckpointAccessDenied = nameof(CheckpointAccessDenied);
    public const string CheckpointIOFailed = nameof(CheckpointIOFailed);
    public const string CheckpointError = nameof(CheckpointError);
    public const string InvalidRunOption = nameof(InvalidRunOption);
    public const string KeyRequired = nameof(KeyRequired);
    public const string KeyUnavailable = nameof(KeyUnavailable);
    public const string ItemFailed = nameof(ItemFailed);
    public const string ItemPoisoned = nameof(ItemPoisoned);
    public const string StoppedForLater = nameof(StoppedForLater);
    public const string ScriptBlockLeft = nameof(ScriptBlockLeft);
    public const string ConflictingParameters = nameof(ConflictingParameters);
    public const string ForceRequired = nameof(ForceRequired);
    public const string KeyHashMismatch = nameof(KeyHashMismatch);
    public const string KeySecretUnavailable = nameof(KeySecretUnavailable);
    public const string InvalidStore = nameof(InvalidStore);
    public const string StoreNeedsPowerShell7 = nameof(StoreNeedsPowerShell7);
    public const string StoreServerFailed = nameof(StoreServerFailed);
    public const string StoreSchemaTooNew = nameof(StoreSchemaTooNew);
    public const string CheckpointInUse = nameof(CheckpointInUse);
    public const string LeaseLost = nameof(LeaseLost);
}
