using System.Collections.Generic;
using System.Text;

namespace IncrementalPS.Cli;

/// <summary>Keeps the last few kilobytes of a child's standard error, whole lines only, for the failure record.</summary>
internal sealed class StderrTail
{
    /// <summary>How much of the end of standard error a failure record keeps.</summary>
    public const int DefaultCapacity = 4096;

    private readonly int _capacity;
    private readonly Queue<string> _lines = new();
    private int _length;

    /// <summary>Creates an empty tail that keeps about <paramref name="capacity"/> characters.</summary>
    public StderrTail(int capacity = DefaultCapacity)
    {
        _capacity = capacity;
    }

    /// <summary>Adds a line, dropping the oldest lines beyond the capacity.</summary>
    public void Append(string line)
    {
        lock (_lines)
        {
            // A single huge line keeps its end: that is where programs put the reason.
            var kept = line.Length > _capacity ? "…" + line[^(_capacity - 1)..] : line;
            _lines.Enqueue(kept);
            _length += kept.Length + 1;
            while (_length > _capacity && _lines.Count > 1)
            {
                _length -= _lines.Dequeue().Length + 1;
            }
        }
    }

    /// <summary>The kept lines joined by "\n", without trailing blank lines.</summary>
    public override string ToString()
    {
        lock (_lines)
        {
            var text = new StringBuilder();
            foreach (var line in _lines)
            {
                if (text.Length > 0)
                {
                    text.Append('\n');
                }

                text.Append(line);
            }

            return text.ToString().TrimEnd();
        }
    }
}
