using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;

namespace IncrementalPS.Cli;

/// <summary>
/// Turns the first SIGINT, SIGTERM or SIGHUP into a cancellation, so that the run stops its commands, records the items
/// in flight as interrupted and flushes the checkpoint before exiting with 130. A second signal ends the process at
/// once, as the user asked twice; the checkpoint survives that too (it survives kill -9).
/// On Windows .NET maps these to console control events: SIGINT is Ctrl+C, SIGQUIT Ctrl+Break, SIGHUP the closing
/// of the console window (the process is ended as soon as the handler returns, so the handler waits for the run to
/// save, within the few seconds Windows allows), SIGTERM a shutdown (services only).
/// </summary>
internal sealed class TerminationSignals : IDisposable
{
    private readonly CancellationTokenSource _cancellation = new();
    private readonly PosixSignalRegistration _interrupt;
    private readonly PosixSignalRegistration _terminate;
    private readonly PosixSignalRegistration _hangUp;
    private readonly PosixSignalRegistration? _break;
    // Windows ends the process once a console-close handler returns, and after about 5 s in any case.
    private static readonly TimeSpan s_closeWait = TimeSpan.FromSeconds(4);
    // Set once the run has recorded its end; never disposed, as a close handler may still be waiting on it.
    private readonly ManualResetEventSlim _stopped = new();
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
        _hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        // Ctrl+Break; on Unix SIGQUIT keeps its meaning (quit with a core dump).
        _break = OperatingSystem.IsWindows() ? PosixSignalRegistration.Create(PosixSignal.SIGQUIT, OnSignal) : null;
    }

    /// <summary>Cancelled when the first signal arrives.</summary>
    public CancellationToken Token => _cancellation.Token;

    /// <summary>True once a signal arrived.</summary>
    public bool Received => Volatile.Read(ref _received) != 0;

    /// <summary>Says that the run has recorded its end: a console-close handler waiting for it may return.</summary>
    public void RunStopped() => _stopped.Set();

    /// <inheritdoc />
    public void Dispose()
    {
        _stopped.Set();
        _interrupt.Dispose();
        _terminate.Dispose();
        _hangUp.Dispose();
        _break?.Dispose();
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
        // Cancel first: the commands got the same Ctrl+C and are exiting now; a worker that sees their exit before the
        // cancellation records the item failed. The message can wait (writing it can block on a busy console).
        _cancellation.Cancel();
        try
        {
            CliConsole.Message($"{Describe(context.Signal)} received: stopping the commands in flight and saving the checkpoint (send it again to quit at once).");
        }
        catch (IOException)
        {
            // The console is going away (its window closing, a closed pipe): the message has nowhere to go, and an
            // exception out of a signal handler would end incps before the run is saved.
        }

        if (context.Signal == PosixSignal.SIGHUP && OperatingSystem.IsWindows())
        {
            // The console window is closing: Windows ends incps when this returns. Return once the run is saved.
            _stopped.Wait(s_closeWait);
        }
    }

    private static string Describe(PosixSignal signal) => !OperatingSystem.IsWindows() ? signal.ToString() : signal switch
    {
        PosixSignal.SIGINT => "Ctrl+C",
        PosixSignal.SIGQUIT => "Ctrl+Break",
        PosixSignal.SIGHUP => "console close",
        PosixSignal.SIGTERM => "shutdown",
        _ => signal.ToString(),
    };
}
