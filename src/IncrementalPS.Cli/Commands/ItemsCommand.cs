using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary><c>incps items &lt;name&gt; [--state completed|failed|inflight] [--json]</c>: the per-key records of a checkpoint.</summary>
internal sealed class ItemsCommand : Command
{
    private readonly CheckpointTarget _target = new();
    private readonly KeyHashOptions _keyHash = new();
    private readonly Option<string?> _key = new("--key") { Description = "Only the item with this key (exact; with --key-hash, the clear key, hashed to find it).", HelpName = "key" };
    private readonly Option<bool> _json = new("--json") { Description = "Write JSON (the stable shape documented in docs/cli-json.md)." };
    private readonly Option<string?> _state = new("--state") { Description = "Only items in this state.", HelpName = "completed|failed|inflight" };

    /// <summary>Creates the command.</summary>
    public ItemsCommand()
        : base("items", "List a checkpoint's items: key, state, attempts and the last error.")
    {
        _state.AcceptOnlyFromAmong("completed", "failed", "inflight");
        _target.AddTo(this);
        Options.Add(_state);
        Options.Add(_json);
        Options.Add(_key);
        _keyHash.AddTo(this);
        SetAction(result => CliErrors.Run(() => Execute(result)));
    }

    private int Execute(ParseResult result)
    {
        ItemState? state = result.GetValue(_state) switch
        {
            "completed" => ItemState.Completed,
            "failed" => ItemState.Failed,
            "inflight" => ItemState.InFlight,
            _ => null,
        };

        using var keyHasher = _keyHash.Create(result);
        Func<string, bool>? filter = null;
        var database = _target.Database(result);
        if (keyHasher is not null)
        {
            if (database is not null)
            {
                // Its secret could not be checked here, and a wrong one would match nothing, silently.
                throw new UsageException("--key-hash with 'incps items' reads checkpoint files only for now; for a PostgreSQL store, list the items without --key (their keys are the hashes).");
            }

            // The wrong secret would match nothing, silently: it is refused first.
            CheckpointInspector.EnsureKeyHash(_target.Resolve(result), keyHasher);
        }

        if (result.GetValue(_key) is string key)
        {
            var stored = keyHasher?.Hash(key) ?? key;
            filter = k => string.Equals(k, stored, StringComparison.Ordinal);
        }

        var items = database is not null
            ? PostgresItemReader.Read(database, _target.ResolveRun(result, out _).Name, state, filter)
            : CheckpointInspector.ReadItems(_target.Resolve(result), state, filter);
        if (result.GetValue(_json))
        {
            JsonOutput.Write(JsonOutput.FromItems(items), c => c.ListItemJson);
            return ExitCodes.Success;
        }

        var table = new TextTable("STATE", "ATTEMPTS", "UPDATED", "KEY", "ERROR");
        foreach (var item in items)
        {
            table.Add(JsonOutput.StateName(item.State), CliFormat.Number(item.Attempts), CliFormat.Time(item.UpdatedAt), CliFormat.Key(item.Key), CliFormat.FirstLine(item.Error?.Message));
        }

        table.WriteTo(Console.Out);
        return ExitCodes.Success;
    }
}
