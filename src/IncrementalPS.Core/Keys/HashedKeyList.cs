using System.Collections;
using System.Collections.Generic;

namespace IncrementalPS.Core;

/// <summary>Clear keys seen as their hashes, each hashed when read: a store reads foreseen keys only now and then.</summary>
internal sealed class HashedKeyList : IReadOnlyList<string>
{
    private readonly IReadOnlyList<string> _keys;
    private readonly KeyHasher _hasher;

    public HashedKeyList(IReadOnlyList<string> keys, KeyHasher hasher)
    {
        _keys = keys;
        _hasher = hasher;
    }

    public int Count => _keys.Count;

    public string this[int index] => _hasher.Hash(_keys[index]);

    public IEnumerator<string> GetEnumerator()
    {
        for (var i = 0; i < _keys.Count; i++)
        {
            yield return this[i];
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
