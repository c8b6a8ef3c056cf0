using System.Management.Automation;

namespace IncrementalPS.Keys;

/// <summary>An item's key, or the error that explains why it has none.</summary>
internal readonly struct KeyResult
{
    private KeyResult(string? key, ErrorRecord? error, bool isUsageError)
    {
        Key = key;
        Error = error;
        IsUsageError = isUsageError;
    }

    /// <summary>The key; null when <see cref="Error"/> is set.</summary>
    public string? Key { get; }

    /// <summary>Why there is no key.</summary>
    public ErrorRecord? Error { get; }

    /// <summary>True when the command itself is wrong (-Key is needed), not just this item.</summary>
    public bool IsUsageError { get; }

    public static KeyResult Of(string key) => new(key, null, false);

    public static KeyResult ItemProblem(ErrorRecord error) => new(null, error, false);

    public static KeyResult UsageProblem(ErrorRecord error) => new(null, error, true);
}
