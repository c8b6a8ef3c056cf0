using System;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Running;

namespace IncrementalPS.Errors;

/// <summary>
/// Builds the ErrorRecords the cmdlets write: one stable ID per problem, a category that fits it, the offending
/// object as target, and the engine's message (which already says what to do next).
/// </summary>
internal static class ErrorRecords
{
    /// <summary>An error raised while opening, reading or changing a checkpoint.</summary>
    public static ErrorRecord ForCheckpoint(CheckpointException exception, object? target)
    {
        var (id, category) = exception switch
        {
            CheckpointNameException => (ErrorIds.InvalidCheckpointName, ErrorCategory.InvalidArgument),
            CheckpointLockedException => (ErrorIds.CheckpointLocked, ErrorCategory.ResourceBusy),
            CheckpointCorruptException => (ErrorIds.CheckpointCorrupt, ErrorCategory.InvalidData),
            CheckpointVersionException => (ErrorIds.CheckpointFormatTooNew, ErrorCategory.InvalidData),
            CheckpointFormatException => (ErrorIds.NotACheckpoint, ErrorCategory.InvalidData),
            CheckpointNotFoundException => (ErrorIds.CheckpointNotFound, ErrorCategory.ObjectNotFound),
            CheckpointNotRunningException => (ErrorIds.CheckpointNotRunning, ErrorCategory.InvalidOperation),
            CheckpointAccessException => (ErrorIds.CheckpointAccessDenied, ErrorCategory.PermissionDenied),
            CheckpointIOException => (ErrorIds.CheckpointIOFailed, ErrorCategory.WriteError),
            CheckpointPathException => (ErrorIds.InvalidCheckpointPath, ErrorCategory.InvalidArgument),
            CheckpointKeyHashException => (ErrorIds.KeyHashMismatch, ErrorCategory.InvalidArgument),
            CheckpointServerException => (ErrorIds.StoreServerFailed, ErrorCategory.ConnectionError),
            CheckpointSchemaVersionException => (ErrorIds.StoreSchemaTooNew, ErrorCategory.InvalidData),
            CheckpointInUseException => (ErrorIds.CheckpointInUse, ErrorCategory.ResourceBusy),
            CheckpointLeaseLostException => (ErrorIds.LeaseLost, ErrorCategory.OperationStopped),
            _ => (ErrorIds.CheckpointError, ErrorCategory.NotSpecified),
        };

        return new ErrorRecord(exception, id, category, exception.FilePath ?? target);
    }

    /// <summary>A run option the engine refused (for example a negative -RetryDelay).</summary>
    public static ErrorRecord InvalidRunOption(ArgumentException exception)
        => new(exception, ErrorIds.InvalidRunOption, ErrorCategory.InvalidArgument, exception.ParamName);

    /// <summary>The item has no identity Invoke-Incremental can take by itself.</summary>
    public static ErrorRecord KeyRequired(object? item, string typeName)
    {
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Invoke-Incremental cannot tell items of type '{0}' apart by itself: it keys strings, numbers, dates, " +
            "Guids, enums, URIs, chars and bools by their text and files and directories by full path. Give -Key: a property name (-Key Id) or a script block that returns the " +
            "item's identity (-Key {{ $_.Id }}).",
            typeName);
        return new ErrorRecord(new ArgumentException(message), ErrorIds.KeyRequired, ErrorCategory.InvalidArgument, item);
    }

    /// <summary>This item has no usable key (from -Key, or, without -Key, the item itself is empty or $null).</summary>
    public static ErrorRecord KeyUnavailable(object? item, string reason, bool keyGiven, Exception? inner = null)
    {
        var advice = keyGiven
            ? " Fix -Key so that it gives one non-empty value for every item."
            : " Filter such items out before Invoke-Incremental, or give -Key to derive a key from each item.";
        var message = "The item was not processed because its key could not be taken: " + MessageText.Sentence(reason) + advice;
        return new ErrorRecord(new InvalidOperationException(message, inner), ErrorIds.KeyUnavailable, ErrorCategory.InvalidData, item);
    }

    /// <summary>
    /// The item's work failed on its last attempt and was recorded as failed: the item's one error. Its exception is
    /// new (PowerShell would not add a record whose exception is already $Error[0] to $Error) and carries the
    /// original as its inner exception; for a PowerShell error that inner exception holds the original ErrorRecord.
    /// </summary>
    public static ErrorRecord ItemFailed(object? item, ItemOutcome outcome, Exception? failure)
    {
        var error = outcome.Error;
        var category = ParseCategory(error?.Category);
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Item '{0}' failed (attempt {1}): {2}",
            outcome.Key,
            outcome.Attempts,
            MessageText.Sentence(error?.Message ?? failure?.Message));
        var exception = new InvalidOperationException(message, failure is ScriptBlockFailedException script ? script.Original : InnerException(failure));
        return new ErrorRecord(exception, ErrorIds.ItemFailed, category, item)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "It is recorded as failed in the checkpoint. Run the same command with -RetryFailed to try it again.",
            },
        };
    }

    /// <summary>The process died while handling this item too many times; it is now recorded as failed.</summary>
    public static ErrorRecord ItemPoisoned(object? item, ItemOutcome outcome)
    {
        // The engine's message already says it is recorded as failed and how to retry it.
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Item '{0}' was not run again: {1}",
            outcome.Key,
            MessageText.Sentence(outcome.Error?.Message ?? "the process died while processing it too many times; it is recorded as failed. Run the same command with -RetryFailed to try it again"));
        return new ErrorRecord(new InvalidOperationException(message), ErrorIds.ItemPoisoned, ErrorCategory.OperationStopped, item);
    }

    /// <summary>break, continue or exit left an item's block in a runspace (-ThrottleLimit): the run ends, the item unfinished.</summary>
    public static ErrorRecord ScriptBlockLeft(Exception left)
        => new(left, ErrorIds.ScriptBlockLeft, ErrorCategory.OperationStopped, null)
        {
            ErrorDetails = new ErrorDetails(
                "An item's script block left with break, continue or exit. With -ThrottleLimit the block runs in a runspace of its own, " +
                "so this cannot leave the caller's loop or script: it ends the run instead.")
            {
                RecommendedAction = "The item, and the others in flight, are unfinished, not failed or done: they run again when the same command runs again. " +
                    "To skip an item's remaining work, use return.",
            },
        };

    /// <summary>
    /// The script block asked to stop the run for later. The exception is the block's own, so a script can catch it
    /// by type around the run; the target is the item (or, from a runspace, its key).
    /// </summary>
    public static ErrorRecord StoppedForLater(StopForLaterException stop, object? item)
    {
        var message = string.Format(
            CultureInfo.InvariantCulture,
            "Stopped for later by item '{0}': {1}",
            stop.Key,
            MessageText.Sentence(stop.Message));
        return new ErrorRecord(stop, ErrorIds.StoppedForLater, ErrorCategory.ResourceUnavailable, item ?? stop.Key)
        {
            ErrorDetails = new ErrorDetails(message)
            {
                RecommendedAction = "The item is unfinished, not failed: it runs again, with the items not reached yet, when the same command runs again later.",
            },
        };
    }

    /// <summary>Removing a checkpoint with work in it needs a yes, and nobody can be asked.</summary>
    public static ErrorRecord ForceRequired(string message, string filePath, Exception hostError)
        => new(new InvalidOperationException(message, hostError), ErrorIds.ForceRequired, ErrorCategory.InvalidOperation, filePath);

    /// <summary>-KeyHash was asked for and its secret cannot be had (not set, unreadable, too short), or its parameters conflict.</summary>
    public static ErrorRecord KeySecretUnavailable(ArgumentException exception)
        => new(exception, ErrorIds.KeySecretUnavailable, ErrorCategory.InvalidArgument, null);

    /// <summary>-Store (or $env:INCREMENTALPS_STORE) names no PostgreSQL store; the target is the parameter, never its value (a password).</summary>
    public static ErrorRecord InvalidStore(Store.InvalidStoreException exception)
        => new(exception, ErrorIds.InvalidStore, ErrorCategory.InvalidArgument, exception.Origin);

    /// <summary>Two parameters that cannot be used together.</summary>
    public static ErrorRecord ConflictingParameters(string message, object? target)
        => new(new ArgumentException(message), ErrorIds.ConflictingParameters, ErrorCategory.InvalidArgument, target);

    /// <summary>
    /// The exception to carry in an ItemFailed record: for a PowerShell error, the exception inside its ErrorRecord
    /// (a Write-Error -ErrorAction Stop arrives wrapped in ActionPreferenceStopException).
    /// </summary>
    private static Exception? InnerException(Exception? failure)
        => failure is IContainsErrorRecord { ErrorRecord.Exception: { } inner } ? inner : failure;

    private static ErrorCategory ParseCategory(string? category)
        => Enum.TryParse<ErrorCategory>(category, ignoreCase: false, out var parsed) ? parsed : ErrorCategory.NotSpecified;
}
