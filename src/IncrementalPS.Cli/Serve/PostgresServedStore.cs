using System.Collections.Generic;
using System.Linq;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>A PostgreSQL store, read as <c>incps status</c> and <c>incps items</c> read it: without joining any checkpoint.</summary>
internal sealed class PostgresServedStore : IServedStore
{
    private readonly PostgresTarget _target;

    public PostgresServedStore(PostgresTarget target)
    {
        _target = target;
    }

    /// <summary>The server and database, never the password.</summary>
    public string Display => _target.Display;

    public List<StatusJson> ReadStatuses() => PostgresStatusReader.List(_target).Select(JsonOutput.FromShared).ToList();

    public List<ItemJson> ReadFailedItems(StatusJson row) => JsonOutput.FromItems(PostgresItemReader.Read(_target, row.Name, ItemState.Failed));
}
