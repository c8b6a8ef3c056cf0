namespace IncrementalPS.Core;

/// <content>Which items the process died running before: a front end that runs items side by side runs those alone.</content>
internal sealed partial class CheckpointSession
{
    /// <summary>
    /// Whether the process died (kill -9, a crash) while <paramref name="key"/> was in flight, and it is not done since.
    /// A death counts against every item in flight at the time; run alone, a poison item no longer takes the items
    /// beside it past the poison threshold with it. Changes nothing.
    /// </summary>
    public bool HasDied(string key)
    {
        lock (_gate)
        {
            EnsureOpen();
            return _store.TryGet(key, out var entry) && entry.Status == KeyStatus.Interrupted && entry.Deaths > 0;
        }
    }
}
