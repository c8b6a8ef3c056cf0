using System.Collections.Generic;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>A store directory, read as <c>incps status</c> and <c>incps items</c> read it.</summary>
internal sealed class FileServedStore : IServedStore
{
    private readonly string? _directory;

    public FileServedStore(string? directory)
    {
        _directory = directory;
        // In full: the page is read elsewhere, where "store" or "." would say nothing.
        Display = directory is null ? CheckpointStore.DefaultDirectory : System.IO.Path.GetFullPath(directory);
    }

    public string Display { get; }

    public List<StatusJson> ReadStatuses() => StatusRows.ReadStore(_directory);

    public List<ItemJson> ReadFailedItems(StatusJson row)
        => JsonOutput.FromItems(CheckpointInspector.ReadItems(CheckpointLocation.FromName(row.Name, _directory), ItemState.Failed));
}
