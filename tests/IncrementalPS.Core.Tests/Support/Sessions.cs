using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>Short ways to drive a run in tests.</summary>
internal static class Sessions
{
    /// <summary>Options for tests: retries wait a millisecond, not a second.</summary>
    public static RunOptions Options(Action<RunOptions>? configure = null)
    {
        var options = new RunOptions
        {
            Writer = "IncrementalPS.Core.Tests",
            RetryDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(4),
        };
        configure?.Invoke(options);
        return options;
    }

    public static ItemOutcome Complete(this CheckpointSession session, string key, string? output = null)
        => session.Process(key, _ => output);

    public static ItemOutcome Fail(this CheckpointSession session, string key, string message = "boom")
        => session.Process(key, _ => throw new InvalidOperationException(message));

    /// <summary>One whole run: every key completes (or runs <paramref name="work"/>), then Finish.</summary>
    public static RunSummary RunAll(CheckpointLocation location, RunOptions options, IEnumerable<string> keys, Func<ItemAttempt, string?>? work = null)
    {
        using var session = CheckpointSession.Start(location, options);
        foreach (var key in keys)
        {
            session.Process(key, work ?? (_ => null));
        }

        return session.Finish();
    }

    /// <summary>A checkpoint kept after a run in which the given keys completed and the failing ones failed.</summary>
    public static void MakeKept(CheckpointLocation location, IEnumerable<string> completed, IEnumerable<string>? failed = null)
    {
        using var session = CheckpointSession.Start(location, Options(o => o.Keep = true));
        foreach (var key in completed)
        {
            session.Complete(key);
        }

        foreach (var key in failed ?? Enumerable.Empty<string>())
        {
            session.Fail(key);
        }

        session.Finish();
    }

    public static IReadOnlyList<string> Keys(string prefix, int count)
        => Enumerable.Range(0, count).Select(i => $"{prefix}{i:D3}").ToList();
}
