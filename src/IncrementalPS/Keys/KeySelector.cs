using System;
using System.Collections;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Management.Automation;
using IncrementalPS.Core;
using IncrementalPS.Errors;

namespace IncrementalPS.Keys;

/// <summary>
/// Gives each item its identity in the checkpoint. Without -Key: strings as they are, files and directories by full
/// path, and nothing else (a clear KeyRequired error, never the position in the input or a guess). With -Key: a
/// property name, or a script block run with $_ bound to the item. Every key is bounded by <see cref="ItemKey.Bounded"/>.
/// </summary>
internal sealed class KeySelector
{
    private readonly ScriptBlock? _script;
    private readonly MemberChainKey? _chain;
    private readonly string? _property;

    private KeySelector(ScriptBlock? script, string? property)
    {
        _script = script;
        _chain = script is null ? null : MemberChainKey.TryParse(script);
        _property = property;
    }

    /// <summary>Makes a selector from the -Key argument: null, a script block, or a property name.</summary>
    /// <exception cref="ArgumentException">The argument is neither.</exception>
    public static KeySelector Create(object? key)
    {
        var value = key is PSObject wrapped ? wrapped.BaseObject : key;
        return value switch
        {
            null => new KeySelector(null, null),
            ScriptBlock script => new KeySelector(script, null),
            string property when property.Trim().Length > 0 => new KeySelector(null, property.Trim()),
            _ => throw new ArgumentException(
                "-Key takes a property name (-Key Id) or a script block (-Key { $_.Id }); got " +
                (value is string ? "an empty string" : "a " + value.GetType().FullName) + ".",
                nameof(key)),
        };
    }

    public KeyResult Select(PSObject? item)
    {
        if (_script is not null)
        {
            return FromScript(item);
        }

        if (_property is not null)
        {
            return FromProperty(item);
        }

        var value = item?.BaseObject;
        if (value is null)
        {
            // One bad item, not a wrong command: its own error, and the run goes on.
            return KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(item, "the item is $null", keyGiven: false));
        }

        if (value is FileSystemInfo entry)
        {
            return KeyResult.Of(ItemKey.Bounded(ItemKey.ForPath(entry.FullName)));
        }

        var text = StableText(value);
        if (text is null)
        {
            return KeyResult.UsageProblem(ErrorRecords.KeyRequired(item, value.GetType().FullName ?? value.GetType().Name));
        }

        return text.Length == 0
            ? KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(item, "the item is an empty string", keyGiven: false))
            : KeyResult.Of(ItemKey.Bounded(text));
    }

    /// <summary>
    /// The key of an item that is its own identity: strings as they are; numbers, enums, Guid, DateTime and
    /// DateTimeOffset (round-trip "o" format), Uri, char and bool by culture-invariant text, the same on every machine
    /// and in every culture. Null for anything else (it needs -Key).
    /// </summary>
    internal static string? StableText(object value) => value switch
    {
        string text => text,
        DateTime time => time.ToString("o", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToString("o", CultureInfo.InvariantCulture),
        // "R": the shortest text that reads back as the same number, on .NET Framework too.
        double number => number.ToString("R", CultureInfo.InvariantCulture),
        float number => number.ToString("R", CultureInfo.InvariantCulture),
        Uri uri => uri.OriginalString,
        bool flag => flag ? "True" : "False",
        Enum member => member.ToString(),
        Guid or char or byte or sbyte or short or ushort or int or uint or long or ulong or decimal or System.Numerics.BigInteger
            => ((IFormattable)value).ToString(null, CultureInfo.InvariantCulture),
        _ => null,
    };

    private KeyResult FromScript(PSObject? item)
    {
        if (_chain is not null && _chain.TryEvaluate(item, out var read))
        {
            return FromValue(item, read, "the -Key script block returned an empty string");
        }

        var variables = new List<PSVariable> { new("_", item), new("PSItem", item) };
        IList<PSObject> results;
        try
        {
            results = _script!.InvokeWithContext(null, variables, item);
        }
        catch (RuntimeException exception)
        {
            return KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(item, "the -Key script block failed: " + exception.Message, keyGiven: true, exception));
        }

        var values = new List<object>();
        foreach (var result in results)
        {
            if (result?.BaseObject is not null)
            {
                values.Add(result.BaseObject);
            }
        }

        if (values.Count != 1)
        {
            return KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(
                item,
                string.Format(CultureInfo.InvariantCulture, "the -Key script block returned {0} values instead of one", values.Count),
                keyGiven: true));
        }

        return FromValue(item, values[0], "the -Key script block returned an empty string");
    }

    private KeyResult FromProperty(PSObject? item)
    {
        object? value;
        if (item?.BaseObject is IDictionary dictionary && dictionary.Contains(_property!))
        {
            value = dictionary[_property!];
        }
        else if (item?.Properties[_property!] is { } property)
        {
            value = property.Value;
        }
        else
        {
            return KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(item, keyGiven: true, reason: "it has no property '" + _property + "'"));
        }

        return value is null
            ? KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(item, "its property '" + _property + "' is null", keyGiven: true))
            : FromValue(item, value, "its property '" + _property + "' is an empty string");
    }

    private static KeyResult FromValue(PSObject? item, object value, string emptyReason)
    {
        var key = (value is PSObject wrapped ? wrapped.BaseObject : value) switch
        {
            FileSystemInfo entry => ItemKey.ForPath(entry.FullName),
            // PowerShell's own conversion: culture-invariant, so a number or date gives the same key everywhere.
            var other => LanguagePrimitives.ConvertTo<string>(other),
        };

        return string.IsNullOrEmpty(key)
            ? KeyResult.ItemProblem(ErrorRecords.KeyUnavailable(item, emptyReason, keyGiven: true))
            : KeyResult.Of(ItemKey.Bounded(key));
    }
}
