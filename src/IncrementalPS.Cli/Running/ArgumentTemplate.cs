using System;
using System.Collections.Generic;
using System.Linq;

namespace IncrementalPS.Cli;

/// <summary>
/// The command to run for each item: every "{}" in any argument is replaced by the item (also inside a longer
/// argument, as in "{}.thumb.png"); when no argument holds "{}", the item is appended as the last argument.
/// </summary>
internal sealed class ArgumentTemplate
{
    /// <summary>The placeholder replaced by the item.</summary>
    public const string Placeholder = "{}";

    private readonly string[] _arguments;
    private readonly bool _hasPlaceholder;

    /// <summary>Creates the template from the program and its arguments, as given after "--".</summary>
    public ArgumentTemplate(IReadOnlyList<string> commandLine)
    {
        ArgumentNullException.ThrowIfNull(commandLine);
        if (commandLine.Count == 0 || string.IsNullOrEmpty(commandLine[0]))
        {
            throw new ArgumentException("A command needs at least a program to run.", nameof(commandLine));
        }

        _arguments = commandLine.ToArray();
        _hasPlaceholder = _arguments.Any(a => a.Contains(Placeholder, StringComparison.Ordinal));
    }

    /// <summary>The program as given (before any substitution).</summary>
    public string Program => _arguments[0];

    /// <summary>True when the program itself holds the placeholder, so it is only known per item.</summary>
    public bool ProgramIsPerItem => Program.Contains(Placeholder, StringComparison.Ordinal);

    /// <summary>The command line as given, for fingerprints and messages.</summary>
    public IReadOnlyList<string> Arguments => _arguments;

    /// <summary>The program and arguments to run for <paramref name="item"/>.</summary>
    public IReadOnlyList<string> Expand(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (!_hasPlaceholder)
        {
            var appended = new string[_arguments.Length + 1];
            _arguments.CopyTo(appended, 0);
            appended[^1] = item;
            return appended;
        }

        return _arguments.Select(a => a.Replace(Placeholder, item, StringComparison.Ordinal)).ToArray();
    }

    /// <summary>The command line as one readable string, quoting arguments that need it.</summary>
    public override string ToString() => string.Join(" ", _arguments.Select(Quote));

    private static string Quote(string argument)
    {
        var plain = argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./{}=:,+@%".Contains(c, StringComparison.Ordinal));
        return plain ? argument : "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
    }
}
