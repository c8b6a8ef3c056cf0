using System;
using System.Threading;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>Waits for a condition another thread or process brings about, failing the test after 30 s.</summary>
internal static class Poll
{
    public static void Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            Thread.Sleep(20);
        }
    }
}
