using System;

namespace IncrementalPS.Core;

/// <summary>
/// The names Windows keeps for devices: CON, PRN, AUX, NUL, COM0-COM9 and LPT0-LPT9, in any case, and also with an
/// extension (<c>NUL.checkpoint.jsonl</c> is the null device: writes vanish, reads are empty). Refused on every platform,
/// so that a checkpoint made on Linux can be used on Windows and a script behaves the same on both.
/// </summary>
internal static class ReservedDeviceName
{
    /// <summary>The rule, for messages.</summary>
    public const string Rule = "CON, PRN, AUX, NUL, COM0 to COM9 and LPT0 to LPT9 are Windows device names, in any case and also before a '.'";

    /// <summary>The device name <paramref name="fileName"/> stands for on Windows, or null.</summary>
    public static string? Find(string fileName)
    {
        // Windows looks at what comes before the first '.', with trailing spaces ignored ("nul .txt" is NUL too).
        var dot = fileName.IndexOf('.');
        var stem = (dot < 0 ? fileName : fileName.Substring(0, dot)).TrimEnd(' ');
        if (stem.Length == 3)
        {
            foreach (var device in new[] { "CON", "PRN", "AUX", "NUL" })
            {
                if (string.Equals(stem, device, StringComparison.OrdinalIgnoreCase))
                {
                    return device;
                }
            }
        }
        else if (stem.Length == 4 && stem[3] is >= '0' and <= '9'
            && (stem.StartsWith("COM", StringComparison.OrdinalIgnoreCase) || stem.StartsWith("LPT", StringComparison.OrdinalIgnoreCase)))
        {
            return stem.ToUpperInvariant();
        }

        return null;
    }
}
