using System.Threading;

namespace IncrementalPS.Module.Tests.Support;

/// <summary>Counts the script blocks running at once (each calls Enter, then Leave) and keeps the most seen.</summary>
public sealed class ConcurrencyProbe
{
    private int _now;
    private int _max;

    /// <summary>The most script blocks seen running at once.</summary>
    public int Max => Volatile.Read(ref _max);

    public void Enter()
    {
        var now = Interlocked.Increment(ref _now);
        int max;
        do
        {
            max = Volatile.Read(ref _max);
        }
        while (now > max && Interlocked.CompareExchange(ref _max, now, max) != max);
    }

    public void Leave() => Interlocked.Decrement(ref _now);
}
