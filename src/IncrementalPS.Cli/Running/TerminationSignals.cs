using System;
using System.Runtime.InteropServices;
using System.Threading;

namespace IncrementalPS.Cli;

/// <summary>
/// Turns the first SIGINT or SIGTERM into a cancellation, so that the run stops its commands, records the items in
/// flight as interrupted and flushes the checkpoint before exiting with 130. A second signal ends the process at
/// once, as the user asked twice; the checkpoint survives that too (it survives kill -9).
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    // Tools such as timeout(1) and kill -- -pgid signal the process and its group: one request arrives twice within
    // microseconds. Only a repeat later than this counts as the user asking again.
    private static readonly TimeSpan s_sameRequest = TimeSpan.FromSeconds(1);
    private readonly System.Diagnostics.Stopwatch _sinceFirst = new();
    private int _received;

    /// <summary>Starts listening for SIGINT and SIGTERM.</summary>
    public TerminationSignals()
    {
        _interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        _terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
    }

    /// <summary>Cancelled when the first signal arrives.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Received => Volatile.Read(ref _received) != 0;

    /// <inheritdoc />
    public void Dispose()
    {
        _interrupt.Dispose();
        _terminate.Dispose();
        _cancellation.Dispose();
    }

    private void OnSignal(PosixSignalContext context)
    {
        if (Interlocked.Exchange(ref _received, 1) != 0)
        {
            // A second signal: let the default action end the process now, unless it is the first one's echo.
            context.Cancel = _sinceFirst.Elapsed < s_sameRequest;
            return;
        }

        _sinceFirst.Start();
        context.Cancel = true;
        CliConsole.Message($"{context.Signal} received: stopping the commands in flight and saving the checkpoint (send it again to quit at once).");
        _cancellation.Cancel();
    }
}
