namespace IncrementalPS.Cli;

/// <summary>What `incps reset --key` says it did, for a checkpoint file and a PostgreSQL store alike.</summary>
internal static class KeyResetReport
{
    /// <summary>
    /// How many of the keys given were forgotten, and a warning for those that were not: a key that matches nothing
    /// changed nothing, which "the next run processes them again" must not suggest.
    /// </summary>
    public static void Print(string name, int forgotten, int given, bool sharedStore)
    {
        var kept = sharedStore ? " (a key a worker holds now is kept)" : string.Empty;
        var next = forgotten > 0 ? "; the next run processes them again." : ".";
        CliConsole.Message($"forgot {forgotten} of {given} key(s) in '{name}'{kept}{next}");
        if (forgotten < given)
        {
            var why = sharedStore ? "not in it or held by a worker now" : "not in it";
            CliConsole.Warning(
                $"{given - forgotten} of the {given} key(s) given are {why}, so nothing was forgotten for them. " +
                $"Keys are exact and case-sensitive; see them with 'incps items {name}'.");
        }
    }
}
