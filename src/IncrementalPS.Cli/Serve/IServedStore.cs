using System.Collections.Generic;

namespace IncrementalPS.Cli;

/// <summary>A store as <c>incps serve</c> reads it: never taking a lock, never writing.</summary>
internal interface IServedStore
{
    /// <summary>The store for people: a directory, or a server without credentials.</summary>
    string Display { get; }

    /// <summary>Every checkpoint, as <c>incps status --json</c> lists them.</summary>
    /// <exception cref="IncrementalPS.Core.CheckpointException">The store cannot be read.</exception>
    List<StatusJson> ReadStatuses();

    /// <summary>The failed items of the checkpoint <paramref name="row"/> shows, in the order they were recorded.</summary>
    /// <exception cref="IncrementalPS.Core.CheckpointException">The checkpoint cannot be read.</exception>
    List<ItemJson> ReadFailedItems(StatusJson row);
}
