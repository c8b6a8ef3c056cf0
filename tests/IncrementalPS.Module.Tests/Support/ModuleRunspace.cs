using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using IncrementalPS.Commands;

namespace IncrementalPS.Module.Tests.Support;

/// <summary>
/// A PowerShell 7 runspace in this process with the cmdlets imported from the built assembly, and a folder of its
/// own for checkpoint files (tests use -Path, so they never share a store).
/// </summary>
public sealed class ModuleRunspace : IDisposable
{
    private readonly Runspace _runspace;

    public ModuleRunspace()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("incps-module-tests-").FullName;
        var state = InitialSessionState.CreateDefault2();
        state.ImportPSModule(typeof(InvokeIncrementalCommand).Assembly.Location);
        _runspace = RunspaceFactory.CreateRunspace(state);
        _runspace.Open();
        _runspace.SessionStateProxy.SetVariable("dir", Directory);
    }

    /// <summary>The folder for this test's files ($dir in scripts).</summary>
    public string Directory { get; }

    /// <summary>A path in <see cref="Directory"/>.</summary>
    public string PathOf(string fileName) => Path.Combine(Directory, fileName);

    /// <summary>Runs a script to its end; its streams are in the returned PowerShell (disposed by the caller).</summary>
    public PowerShell Run(string script, out IReadOnlyList<object?> output)
    {
        var shell = Create(script);
        output = shell.Invoke().Select(o => o?.BaseObject).ToList();
        return shell;
    }

    /// <summary>A PowerShell for this runspace with the script added, not started.</summary>
    public PowerShell Create(string script)
    {
        var shell = PowerShell.Create();
        shell.Runspace = _runspace;
        shell.AddScript(script);
        return shell;
    }

    /// <summary>Sets a variable in the runspace's global scope.</summary>
    public void SetVariable(string name, object? value) => _runspace.SessionStateProxy.SetVariable(name, value);

    /// <summary>The value of a variable in the runspace's global scope.</summary>
    public object? Variable(string name) => _runspace.SessionStateProxy.GetVariable(name);

    /// <summary>The records of an error list variable ($Error, an -ErrorVariable).</summary>
    public IReadOnlyList<ErrorRecord> Errors(string name)
        => ((System.Collections.IEnumerable?)Variable(name) ?? Array.Empty<object>())
            .Cast<object>()
            .Select(e => e is PSObject wrapped ? wrapped.BaseObject : e)
            .Select(e => e as ErrorRecord ?? throw new InvalidOperationException($"${name} holds a {e.GetType()}, not an ErrorRecord: {e}"))
            .ToList();

    public void Dispose()
    {
        _runspace.Dispose();
        if (System.IO.Directory.Exists(Directory))
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }
}
