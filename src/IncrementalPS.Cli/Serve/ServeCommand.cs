using System;
using System.CommandLine;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>
/// <c>incps serve</c>: a read-only status page of every checkpoint in a store, updating itself while runs go on, and
/// its JSON. Loopback unless told otherwise; anywhere else only with a token.
/// </summary>
internal sealed class ServeCommand : Command
{
    private readonly Option<string?> _store = new("--store")
    {
        Description = $"The store to show: a directory (default: ${CheckpointStore.HomeVariable}, else the user's data directory), " +
            $"or a PostgreSQL store: postgres://user@host:port/database or a connection string (default: ${CheckpointTarget.DatabaseVariable}).",
        HelpName = "dir|uri",
    };

    private readonly Option<string> _listen = new("--listen")
    {
        Description = "Where to listen, host:port. Another address than loopback (0.0.0.0:8470 for every interface) needs a token.",
        HelpName = "host:port",
        DefaultValueFactory = _ => ListenAddress.Default,
    };

    private readonly Option<string?> _tokenFile = new("--token-file")
    {
        Description = $"A file whose first line is the token clients must send (Authorization: Bearer, or ?token=); default: ${AccessToken.Variable}.",
        HelpName = "file",
    };

    /// <summary>Creates the command.</summary>
    public ServeCommand()
        : base("serve", "Serve a live, read-only status page of every checkpoint in a store (and its JSON at /api/checkpoints) until Ctrl+C.")
    {
        Options.Add(_store);
        Options.Add(_listen);
        Options.Add(_tokenFile);
        SetAction(result => CliErrors.Run(() => Execute(result)));
    }

    private int Execute(ParseResult result)
    {
        var address = ListenAddress.Parse(result.GetValue(_listen) ?? ListenAddress.Default);
        var token = AccessToken.Load(result.GetValue(_tokenFile));
        if (!address.IsLoopback && token is null)
        {
            throw new UsageException(
                $"{address.Host} is not loopback: anyone who can reach it could read the page. Give a token with --token-file <file> or ${AccessToken.Variable}; " +
                "clients then send 'Authorization: Bearer <token>' or open /?token=<token>.");
        }

        var served = Store(result.GetValue(_store));
        using var signals = new ServeSignals();
        using var server = new StatusServer(address, token, new DashboardSource(served));
        server.Start();
        CliConsole.Message($"serving {served.Display} at {address.Url} (read-only{(token is null ? string.Empty : ", token required")}); Ctrl+C stops.");
        server.RunAsync(signals.Token).GetAwaiter().GetResult();
        CliConsole.Message("stopped.");
        return ExitCodes.Success;
    }

    /// <summary>
    /// A directory store read once before serving: a path that cannot be a store (a file) is refused at start, as by
    /// every other command, not shown as a page of errors. A server that is down may come back, so PostgreSQL is not.
    /// </summary>
    private static FileServedStore Checked(FileServedStore store)
    {
        store.ReadStatuses();
        return store;
    }

    /// <summary>The store --store names (a directory, a postgres:// URI or a connection string), else $INCREMENTALPS_STORE, else the default directory.</summary>
    private static IServedStore Store(string? store)
    {
        var value = store ?? Environment.GetEnvironmentVariable(CheckpointTarget.DatabaseVariable);
        if (string.IsNullOrEmpty(value))
        {
            return new FileServedStore(null);
        }

        if (!PostgresTarget.Names(value))
        {
            return store is not null
                ? Checked(new FileServedStore(store))
                : throw new UsageException($"${CheckpointTarget.DatabaseVariable} names a PostgreSQL store (postgres://user@host/database or a connection string); for a directory use --store or ${CheckpointStore.HomeVariable}.");
        }

        try
        {
            return new PostgresServedStore(PostgresTarget.Parse(value));
        }
        catch (System.ArgumentException ex)
        {
            // The parser's message names what is wrong, not the value (which may hold a password).
            throw new UsageException(ex.Message);
        }
    }
}
