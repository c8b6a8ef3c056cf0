using System;
using System.IO;
using System.Threading;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Postgres;

/// <summary>
/// PostgreSQL text holds no NUL character: a key with one fails its own item with the engine's refusal (as a key that
/// is not valid Unicode does), before anything reaches the server, and the run goes on. It used to end the run with
/// the server's "invalid byte sequence" error.
/// </summary>
public sealed class NulKeyTests : IDisposable
{
    private readonly TestDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public void A_key_with_a_NUL_character_is_that_items_error_and_the_run_goes_on()
    {
        using var session = Start();
        var ran = 0;

        var refused = Assert.Throws<ItemKeyRefusedException>(() => session.Process("a\0b", _ => { ran++; return null; }));
        var completed = session.Process("next", _ => { ran++; return null; });

        Assert.Equal("key", refused.ParamName);
        Assert.Contains("NUL", refused.Message, StringComparison.Ordinal);
        Assert.Contains("a\\0b", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", refused.Message, StringComparison.Ordinal);
        Assert.Equal(ItemOutcomeKind.Completed, completed.Kind);
        Assert.Equal(1, ran);
        Assert.Equal(1L, _db.Scalar("SELECT count(*) FROM incrementalps.items"));
    }

    [Fact]
    public void A_key_with_a_NUL_character_among_the_keys_foreseen_is_not_claimed_ahead_and_fails_alone_when_reached()
    {
        using var session = Start();

        var first = session.ProcessPipelined("first", ["x\0y", "after"], _ => null);
        var refused = Assert.Throws<ItemKeyRefusedException>(() => session.ProcessPipelined("x\0y", ["after"], _ => null));
        var after = session.ProcessPipelined("after", [], _ => null);
        var settled = session.SettlePipelined();

        Assert.Equal("key", refused.ParamName);
        Assert.Equal(2, first.Count + after.Count + settled.Count);
        Assert.Equal(CheckpointState.Completed, session.Finish().State);
        Assert.Equal(2L, _db.Scalar($"SELECT count(*) FROM incrementalps.items WHERE status = {(int)KeyStatus.Completed} AND NOT reserved"));
    }

    private CheckpointSession Start()
    {
        var options = Sessions.Options(o => o.Keep = true);
        return CheckpointSession.Start(
            CheckpointLocation.FromPath(Path.Combine(Path.GetTempPath(), "unused-nul.jsonl")),
            PostgresRunStore.Open(_db.Target, "nul", options, TimeSpan.FromSeconds(30), Timeout.InfiniteTimeSpan),
            options);
    }
}
