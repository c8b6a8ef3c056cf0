using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace IncrementalPS.Cli;

/// <summary>Plain left-aligned columns for standard output: stable across terminals and pipes, unlike a drawn table.</summary>
internal sealed class TextTable
{
    private readonly string[] _headers;
    private readonly List<string[]> _rows = new();

    /// <summary>Creates a table with these column headers.</summary>
    public TextTable(params string[] headers)
    {
        _headers = headers;
    }

    /// <summary>Adds a row; the last column may be as wide as it likes.</summary>
    public void Add(params string[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != _headers.Length)
        {
            throw new ArgumentException($"Expected {_headers.Length} cells, got {cells.Length}.", nameof(cells));
        }

        // One row per line: a value with a line break would otherwise shift every column after it.
        _rows.Add(cells.Select(c => c.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal)).ToArray());
    }

    /// <summary>Writes the headers and rows, columns two spaces apart.</summary>
    public void WriteTo(TextWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var widths = _headers.Select((h, i) => _rows.Select(r => r[i].Length).Prepend(h.Length).Max()).ToArray();
        foreach (var row in _rows.Prepend(_headers))
        {
            var cells = row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]));
            writer.WriteLine(string.Join("  ", cells).TrimEnd());
        }
    }
}
