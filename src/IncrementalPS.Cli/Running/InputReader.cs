using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace IncrementalPS.Cli;

/// <summary>
/// Splits the input into items: one per line (a trailing "\r" is dropped, so Windows line ends work), or one per
/// NUL-terminated record (find -print0). Empty items are skipped, as xargs does.
/// </summary>
internal static class InputReader
{
    /// <summary>Reads items from <paramref name="reader"/> lazily, one at a time, so memory does not grow with the input.</summary>
    public static IEnumerable<string> ReadItems(TextReader reader, bool nullSeparated)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return nullSeparated ? ReadNullSeparated(reader) : ReadLines(reader);
    }

    private static IEnumerable<string> ReadLines(TextReader reader)
    {
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            // ReadLine already splits on "\r\n", "\n" and a lone "\r".
            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }

    private static IEnumerable<string> ReadNullSeparated(TextReader reader)
    {
        var buffer = new char[8192];
        var item = new StringBuilder();
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\0')
                {
                    item.Append(buffer[i]);
                    continue;
                }

                if (item.Length > 0)
                {
                    yield return item.ToString();
                    item.Clear();
                }
            }
        }

        // The last record need not be terminated.
        if (item.Length > 0)
        {
            yield return item.ToString();
        }
    }
}
