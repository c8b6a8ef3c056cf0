using System;
using System.Collections.Generic;
using System.Globalization;

namespace IncrementalPS.Core;

/// <summary>How a run behaves. Front ends map their parameters onto these one to one.</summary>
internal sealed class RunOptions
{
    /// <summary>Who writes the checkpoint, for example "IncrementalPS 0.1.0" or "incps 0.1.0". Recorded in the file.</summary>
    public string Writer { get; set; } = "IncrementalPS.Core";

    /// <summary>How far each record travels before going on. Default <see cref="Core.Durability.Normal"/>.</summary>
    public Durability Durability { get; set; } = Durability.Normal;

    /// <summary>Run items that failed in earlier runs again (otherwise they are skipped).</summary>
    public bool RetryFailed { get; set; }

    /// <summary>Attempts per item within this run (1 = no retry).</summary>
    public int MaxAttempts { get; set; } = 1;

    /// <summary>Wait before the first retry; each further retry waits twice as long (capped at <see cref="MaxRetryDelay"/>).</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Discard an existing checkpoint before starting (front ends confirm this first).</summary>
    public bool Restart { get; set; }

    /// <summary>Keep the checkpoint when every item completed, as a ledger, so later runs process only new keys.</summary>
    public bool Keep { get; set; }

    /// <summary>
    /// Store a keyed hash of each key instead of the key (<see cref="KeyHasher"/>), for keys that are personal data. A
    /// new checkpoint records that it is hashed; an existing one must have been created with the same secret. Saved
    /// output and errors are not hashed. The run does not dispose it.
    /// </summary>
    public KeyHasher? KeyHash { get; set; }

    /// <summary>
    /// With <see cref="Keep"/>: when the checkpoint is compacted at the end of a run, completed items recorded longer ago
    /// than this are forgotten (they run again if they come back). Null keeps them forever.
    /// </summary>
    public TimeSpan? KeepFor { get; set; }

    /// <summary>The system's clock, the default <see cref="Clock"/>.</summary>
    internal static readonly Func<DateTime> SystemClock = () => DateTime.UtcNow;

    /// <summary>The time records are stamped with, and that <see cref="KeepFor"/> counts from (tests move it).</summary>
    internal Func<DateTime> Clock { get; set; } = SystemClock;

    /// <summary>The number of items in the input, when the caller knows it. Otherwise it is estimated from earlier runs (a total given to one, or the count of the last run that read its input to the end), and unknown until one did.</summary>
    public long? TotalCount { get; set; }

    /// <summary>After the process died this many times while an item was in flight, the item is recorded as failed instead of run again.</summary>
    public int PoisonThreshold { get; set; } = 3;

    /// <summary>At the end of the input, how often a run sharing its store looks again at items other workers held.</summary>
    public TimeSpan HeldItemPoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>A fingerprint of the code processing the items (see <see cref="ItemKey.Fingerprint"/>); a change is reported on resume.</summary>
    public string? Fingerprint { get; set; }

    /// <summary>How often the run looks for a request to suspend (a stat of the request file; a PostgreSQL worker reads it with its heartbeat).</summary>
    public TimeSpan SuspendPoll { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The least time between two progress notifications (a final one is always sent).</summary>
    public TimeSpan ProgressInterval { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>A text file rewritten atomically every <see cref="ProgressFileInterval"/> with done/total, rate and ETA.</summary>
    public string? ProgressFile { get; set; }

    /// <summary>
    /// A Prometheus text file (node_exporter's textfile collector) replaced atomically every <see cref="ProgressFileInterval"/>
    /// with the checkpoint's metrics (<see cref="PrometheusText"/>).
    /// </summary>
    public string? MetricsFile { get; set; }

    /// <summary>How often <see cref="ProgressFile"/> and <see cref="MetricsFile"/> are rewritten.</summary>
    public TimeSpan ProgressFileInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Turns an exception thrown by the work delegate into the error recorded for the item. Default: <see cref="ItemError.FromException"/>.</summary>
    public Func<Exception, ItemError>? DescribeError { get; set; }

    /// <summary>Called (on the thread processing the item) before an in-run retry waits.</summary>
    public Action<RetryNotice>? OnRetry { get; set; }

    /// <summary>Extra settings the front end wants recorded with the run (shown to people reading the file).</summary>
    public IDictionary<string, string> Settings { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The settings recorded in the header and with each run, as strings for people reading the file.</summary>
    internal IEnumerable<KeyValuePair<string, string>> RecordedSettings()
    {
        var c = CultureInfo.InvariantCulture;
        yield return new("durability", Durability.ToString());
        yield return new("maxAttempts", MaxAttempts.ToString(c));
        yield return new("retryDelay", RetryDelay.ToString("c", c));
        yield return new("retryFailed", RetryFailed ? "true" : "false");
        yield return new("keep", Keep ? "true" : "false");
        yield return new("poisonThreshold", PoisonThreshold.ToString(c));
        if (KeepFor is TimeSpan keepFor)
        {
            yield return new("keepFor", keepFor.ToString("c", c));
        }

        foreach (var pair in Settings)
        {
            yield return pair;
        }
    }

    internal void Validate()
    {
        if (MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxAttempts), MaxAttempts, "MaxAttempts must be at least 1.");
        }

        if (RetryDelay < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RetryDelay), RetryDelay, "RetryDelay cannot be negative.");
        }

        if (PoisonThreshold < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PoisonThreshold), PoisonThreshold, "PoisonThreshold must be at least 1.");
        }

        if (KeepFor <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(KeepFor), KeepFor, "KeepFor must be positive.");
        }

        if (TotalCount < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(TotalCount), TotalCount, "TotalCount cannot be negative.");
        }

        if (SuspendPoll <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SuspendPoll), SuspendPoll, "SuspendPoll must be positive.");
        }

        if (ProgressInterval < TimeSpan.Zero || ProgressFileInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), "Progress intervals must be positive.");
        }
    }
}
