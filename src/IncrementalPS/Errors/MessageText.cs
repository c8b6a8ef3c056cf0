using System.Text.RegularExpressions;

namespace IncrementalPS.Errors;

/// <summary>Joins messages from other places (the engine, .NET, a script's throw) into sentences that read well.</summary>
internal static class MessageText
{
    // .NET appends " (Parameter 'key')" to an ArgumentException's message: noise for someone reading a PowerShell error.
    private static readonly Regex s_parameterSuffix = new(@"\s*\(Parameter '[^']*'\)\s*$", RegexOptions.CultureInvariant);

    /// <summary>The message as one sentence: trimmed, without .NET's parameter suffix, ending with a full stop.</summary>
    public static string Sentence(string? message)
    {
        var text = s_parameterSuffix.Replace(message ?? string.Empty, string.Empty).Trim();
        if (text.Length == 0)
        {
            return "No error message.";
        }

        // A quoted message that ends its own sentence ("... format.") needs no second full stop.
        var last = text[text.Length - 1];
        var beforeQuote = last is '"' or '\'' && text.Length > 1 ? text[text.Length - 2] : ' ';
        return last is '.' or '!' or '?' || beforeQuote is '.' or '!' or '?' ? text : text + ".";
    }
}
