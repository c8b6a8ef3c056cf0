using System;
using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace IncrementalPS.Core;

/// <summary>
/// The time between two <see cref="Stopwatch.GetTimestamp"/> readings (Stopwatch.GetElapsedTime is .NET 7 and later;
/// the engine also builds for Windows PowerShell 5.1). The engine takes two readings per item and derives the rest.
/// </summary>
internal static class Timestamps
{
    private static readonly double s_ticksPerTimestamp = (double)TimeSpan.TicksPerSecond / Stopwatch.Frequency;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TimeSpan Between(long started, long ended) => TimeSpan.FromTicks((long)((ended - started) * s_ticksPerTimestamp));
}
