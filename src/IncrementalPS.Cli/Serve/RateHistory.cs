using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Cli;

/// <summary>
/// The last samples of each checkpoint's rate, for the page's chart: a bounded ring per checkpoint, so a server left
/// running for months holds the same memory as one started a minute ago. Not thread-safe: its owner serialises calls.
/// </summary>
internal sealed class RateHistory
{
    /// <summary>Ten minutes at one sample every <see cref="SpacingMilliseconds"/>.</summary>
    public const int Capacity = 120;

    /// <summary>
    /// The page fetches every checkpoint's history every second: samples five seconds apart keep that small (a few KB a
    /// checkpoint) while still showing how the rate moved.
    /// </summary>
    public const long SpacingMilliseconds = 5000;

    private readonly Dictionary<string, Queue<RateSampleJson>> _samples = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds a sample of <paramref name="name"/> unless the last one is younger than <see cref="SpacingMilliseconds"/>;
    /// drops its oldest beyond <see cref="Capacity"/>.
    /// </summary>
    public void Add(string name, RateSampleJson sample)
    {
        if (!_samples.TryGetValue(name, out var ring))
        {
            ring = new Queue<RateSampleJson>();
            _samples[name] = ring;
        }
        else if (ring.Count > 0 && sample.Time - ring.Last().Time < SpacingMilliseconds)
        {
            return;
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
