using System;
using System.Collections.Generic;

namespace IncrementalPS.Cli;

/// <summary>
/// The last samples of each checkpoint's rate, for the page's chart: a bounded ring per checkpoint, so a server left
/// running for months holds the same memory as one started a minute ago. Not thread-safe: its owner serialises calls.
/// </summary>
internal sealed class RateHistory
{
    /// <summary>Ten minutes at one sample a second.</summary>
    public const int Capacity = 600;

    private readonly Dictionary<string, Queue<RateSampleJson>> _samples = new(StringComparer.Ordinal);

    /// <summary>Adds a sample of <paramref name="name"/>, dropping its oldest beyond <see cref="Capacity"/>.</summary>
    public void Add(string name, RateSampleJson sample)
    {
        if (!_samples.TryGetValue(name, out var ring))
        {
            ring = new Queue<RateSampleJson>();
            _samples[name] = ring;
        }

        ring.Enqueue(sample);
        while (ring.Count > Capacity)
        {
            ring.Dequeue();
        }
    }

    /// <summary>The samples of <paramref name="name"/>, oldest first.</summary>
    public List<RateSampleJson> Of(string name) => _samples.TryGetValue(name, out var ring) ? new List<RateSampleJson>(ring) : new List<RateSampleJson>();

    /// <summary>Forgets the checkpoints not in <paramref name="names"/> (removed from the store).</summary>
    public void Retain(ISet<string> names)
    {
        foreach (var name in new List<string>(_samples.Keys))
        {
            if (!names.Contains(name))
            {
                _samples.Remove(name);
            }
        }
    }
}
