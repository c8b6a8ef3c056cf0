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
/// The stores this orders are made inside calls (Marshal.Copy's memmove; Marshal.WriteInt32, which is not inlined: it
/// catches access violations), and the JIT keeps a call's stores on the side of the next call where the code has them.
/// Weakly ordered CPUs (ARM64) get a full barrier.
/// </remarks>
internal static class StoreOrder
{
    // The machine's too: an x64 process emulated on ARM64 (Windows) may not get x64's store order.
    private static readonly bool s_totalStoreOrder =
        (RuntimeInformation.ProcessArchitecture is Architecture.X86 or Architecture.X64)
        && (RuntimeInformation.OSArchitecture is Architecture.X86 or Architecture.X64);

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
