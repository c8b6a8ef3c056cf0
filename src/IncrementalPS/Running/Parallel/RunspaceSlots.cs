using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Threading;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// At most n runspaces, opened when first needed and reused from item to item for the whole run, as
/// ForEach-Object -Parallel does by default: opening a runspace costs far more than an item that waits on the network.
/// Taking one is what limits how many items run at once.
/// </summary>
/// <remarks>
/// Each runspace starts in the caller's current file system folder, and with the verbose, debug and information
/// preferences at Continue: their records are then made and sent to the pipeline thread, where the cmdlet writes them
/// and the caller's own preferences (and -Verbose) decide what is shown, as for a script block run in the caller's scope.
/// The error and warning preferences are the caller's (<see cref="CallerPreferences"/>), so that they decide, inside the
/// item, whether an error or a warning fails it.
/// </remarks>
internal sealed class RunspaceSlots : IDisposable
{
    private readonly SemaphoreSlim _free;
    private readonly ConcurrentBag<PooledRunspace> _idle = new();
    private readonly ConcurrentBag<int> _freeIndexes = new();
    private readonly List<Runspace> _all = new();
    private readonly string? _location;
    private readonly Dictionary<string, ActionPreference> _preferences;
    private readonly int _limit;
    private bool _disposed;

    public RunspaceSlots(int limit, string? location, Dictionary<string, ActionPreference> preferences)
    {
        _limit = limit;
        _preferences = preferences;
        _free = new SemaphoreSlim(limit, limit);
        _location = location;
        for (var i = limit - 1; i >= 0; i--)
        {
            _freeIndexes.Add(i);
        }
    }

    /// <summary>Items running in a runspace now.</summary>
    public int Busy => _limit - _free.CurrentCount;

    /// <summary>Waits for a free runspace.</summary>
    /// <exception cref="OperationCanceledException">The run is stopping.</exception>
    public PooledRunspace Take(CancellationToken cancellationToken)
    {
        _free.Wait(cancellationToken);
        try
        {
            return _idle.TryTake(out var idle) ? idle : Open();
        }
        catch
        {
            _free.Release();
            throw;
        }
    }

    /// <summary>
    /// Gives a runspace back. One that cannot run another item (it was stopped mid-command and is still busy, or it
    /// broke) is closed, and the next item opens a new one in its place.
    /// </summary>
    public void Return(PooledRunspace pooled)
    {
        var runspace = pooled.Runspace;
        if (runspace.RunspaceStateInfo.State == RunspaceState.Opened && runspace.RunspaceAvailability == RunspaceAvailability.Available && !Volatile.Read(ref _disposed))
        {
            _idle.Add(pooled);
        }
        else
        {
            Forget(runspace);
            _freeIndexes.Add(pooled.Index);
        }

        _free.Release();
    }

    public void Dispose()
    {
        Runspace[] all;
        lock (_all)
        {
            _disposed = true;
            all = _all.ToArray();
            _all.Clear();
        }

        foreach (var runspace in all)
        {
            runspace.Dispose();
        }
    }

    private PooledRunspace Open()
    {
        var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());

        // One thread per runspace for its whole life, instead of a new thread for every item.
        runspace.ThreadOptions = PSThreadOptions.ReuseThread;
        runspace.Open();
        lock (_all)
        {
            if (_disposed)
            {
                runspace.Dispose();
                throw new ObjectDisposedException(nameof(RunspaceSlots));
            }

            _all.Add(runspace);
        }

        var proxy = runspace.SessionStateProxy;
        proxy.SetVariable("VerbosePreference", ActionPreference.Continue);
        proxy.SetVariable("DebugPreference", ActionPreference.Continue);
        proxy.SetVariable("InformationPreference", ActionPreference.Continue);
        foreach (var preference in _preferences)
        {
            proxy.SetVariable(preference.Key, preference.Value);
        }

        if (_location is not null)
        {
            using var shell = PowerShell.Create();
            shell.Runspace = runspace;
            shell.AddCommand("Microsoft.PowerShell.Management\\Set-Location").AddParameter("LiteralPath", _location).Invoke();
        }

        _freeIndexes.TryTake(out var index);
        return new PooledRunspace(runspace, index);
    }

    private void Forget(Runspace runspace)
    {
        lock (_all)
        {
            _all.Remove(runspace);
        }

        // A runspace still running a command that would not stop is let go, not waited for.
        if (runspace.RunspaceAvailability != RunspaceAvailability.Busy)
        {
            runspace.Dispose();
        }
    }
}
