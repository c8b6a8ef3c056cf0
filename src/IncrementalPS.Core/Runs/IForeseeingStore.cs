using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>
/// A store that can claim several keys in one round trip when told which come next (a store shared over the network).
/// The session calls it under its lock, just before the claim of the item the keys follow.
/// </summary>
internal interface IForeseeingStore
{
    /// <summary>The keys of the items that follow the next one to be claimed, in input order (may be empty).</summary>
    void Foresee(IReadOnlyList<string> upcoming);
}
