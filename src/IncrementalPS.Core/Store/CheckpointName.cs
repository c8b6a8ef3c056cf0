using System;

namespace IncrementalPS.Core;

/// <summary>
/// Rules for checkpoint names: letters, digits, '.', '_' and '-', at most <see cref="MaxLength"/> characters, and no
/// Windows device name (<see cref="ReservedDeviceName"/>).
/// </summary>
internal static class CheckpointName
{
    /// <summary>The longest name allowed.</summary>
    public const int MaxLength = 100;

    /// <summary>Returns why <paramref name="name"/> is not a valid name, or null when it is.</summary>
    public static string? FindProblem(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a name cannot be empty";
        }

        if (name!.Length > MaxLength)
        {
            return $"it has {name.Length} characters, more than {MaxLength}";
        }

        if (name == "." || name == "..")
        {
            return "'.' and '..' are reserved";
        }

        if (ReservedDeviceName.Find(name) is { } device)
        {
            return $"'{device}' is reserved: {ReservedDeviceName.Rule}";
        }

        foreach (var c in name)
        {
            // ASCII only: the name becomes a file name on every platform, so nothing a file system could refuse.
            var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
            if (!ok)
            {
                return $"the character '{c}' is not allowed";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="name"/> is a valid checkpoint name.</summary>
    public static bool IsValid(string? name) => FindProblem(name) is null;

    /// <summary>Throws <see cref="CheckpointNameException"/> when <paramref name="name"/> is not valid.</summary>
    public static void Validate(string? name)
    {
        var problem = FindProblem(name);
        if (problem is not null)
        {
            throw new CheckpointNameException(name ?? string.Empty, problem);
        }
    }
}
