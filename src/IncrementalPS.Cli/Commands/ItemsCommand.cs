using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary><c>incps items &lt;name&gt; [--state completed|failed|inflight] [--json]</c>: the per-key records of a checkpoint.</summary>
internal sealed class ItemsCommand : Command
{
    private readonly CheckpointTarget _target = new();
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

        var items = _target.Database(result) is { } database
            ? PostgresItemReader.Read(database, _target.ResolveRun(result, out _).Name, state)
            : CheckpointInspector.ReadItems(_target.Resolve(result), state);
        if (result.GetValue(_json))
        {
            JsonOutput.Write(JsonOutput.FromItems(items), c => c.ListItemJson);
            return ExitCodes.Success;
        }

        var table = new TextTable("STATE", "ATTEMPTS", "UPDATED", "KEY", "ERROR");
        foreach (var item in items)
        {
            table.Add(JsonOutput.StateName(item.State), CliFormat.Number(item.Attempts), CliFormat.Time(item.UpdatedAt), item.Key, CliFormat.FirstLine(item.Error?.Message));
        }

        table.WriteTo(Console.Out);
        return ExitCodes.Success;
    }
}
