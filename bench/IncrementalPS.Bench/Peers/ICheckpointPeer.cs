using System;

namespace IncrementalPS.Bench.Peers;

/// <summary>
/// One way of recording that items are done, driven the same way for every peer: open a fresh checkpoint in an empty
/// directory, run N items (each with empty work), close it. Everything the peer keeps lives in that directory.
/// </summary>
internal interface ICheckpointPeer : IDisposable
{
    /// <summary>Creates a fresh checkpoint in <paramref name="directory"/> (empty, existing).</summary>
    void Open(string directory);

    /// <summary>Runs the item's (empty) work and records that it completed, at the peer's durability, before returning.</summary>
    void Process(string key);

    /// <summary>Ends the run the way the peer ends it normally (the engine compacts here).</summary>
    void Close();
}
