using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Bench;

/// <summary>The few options the benchmark takes: flags and "--name value" pairs, with unknown ones refused.</summary>
internal sealed class BenchArguments
{
    private readonly List<string> _args;
    private readonly HashSet<int> _used = new();

    public BenchArguments(string[] args) => _args = args.ToList();

    public bool Flag(string name)
    {
        var at = _args.IndexOf(name);
        if (at < 0)
        {
            return false;
        }

        _used.Add(at);
        return true;
    }

    public string? Value(string name)
    {
        var at = _args.IndexOf(name);
        if (at < 0)
        {
            return null;
        }

        if (at + 1 >= _args.Count)
        {
            throw new ArgumentException($"{name} needs a value.");
        }

        _used.Add(at);
        _used.Add(at + 1);
        return _args[at + 1];
    }

    public string Required(string name) => Value(name) ?? throw new ArgumentException($"{name} is required here.");

    public void RejectUnknown()
    {
        var unknown = Enumerable.Range(0, _args.Count).Where(i => !_used.Contains(i)).Select(i => _args[i]).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException($"Unknown argument(s): {string.Join(' ', unknown)}.");
        }
    }
}
