namespace IncrementalPS.Core;

/// <summary>One item marked in flight in a slots file.</summary>
internal readonly struct InFlightMark
{
    public InFlightMark(string key, int run, int attempt, int deaths)
    {
        Key = key;
        Run = run;
        Attempt = attempt;
        Deaths = deaths;
    }

    public string Key { get; }

    public int Run { get; }

    public int Attempt { get; }

    public int Deaths { get; }
}
