using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace IncrementalPS.Core;

/// <summary>
/// Keeps stores into a shared mapping visible to readers in other processes in the order they were made: an in-flight
/// slot's key before its length, a journal record before the next one.
/// </summary>
/// <remarks>
/// x86 and x64 make a core's stores visible in program order (total store order), so there a barrier would only cost
/// time: a locked instruction that waits for every store in flight to reach the cache, tens of nanoseconds per item.
/// The stores this orders are made by calls (Marshal.Copy, Marshal.WriteInt32) through pointers the JIT cannot tell
/// apart, which it does not reorder. Weakly ordered CPUs (ARM64) get a full barrier.
/// </remarks>
internal static class StoreOrder
{
    private static readonly bool s_totalStoreOrder =
        RuntimeInformation.ProcessArchitecture is Architecture.X86 or Architecture.X64;

    /// <summary>Stores before this call become visible before stores after it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Fence()
    {
        if (!s_totalStoreOrder)
        {
            Interlocked.MemoryBarrier();
        }
    }
}
