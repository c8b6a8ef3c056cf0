using System;
using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Running;

/// <summary>
/// Runs the -Process script block once per item with ForEach-Object's semantics, through the public API.
/// </summary>
/// <remarks>
/// ForEach-Object calls ScriptBlock.InvokeUsingCmdlet, which is internal. The closest public equivalent is to run
/// ForEach-Object itself as a steppable pipeline begun with this cmdlet: the script block then runs in the caller's
/// scope with $_ and $PSItem bound, and its output and errors flow into this cmdlet's output and error pipes as they
/// are produced. ScriptBlock.InvokeWithContext would run it in a new scope and return its output only at the end;
/// PowerShell.Create(RunspaceMode.CurrentRunspace) would run it in a nested pipeline with its own streams.
/// A terminating error inside the script block surfaces as an exception from Run (and the steppable pipeline is
/// discarded, since a pipeline that failed cannot step again); the engine records it as the item's failure.
/// With capture on, a second ForEach-Object stage copies each output object into a list before passing it on, so
/// -ReplayOutput can save it while it still streams.
/// </remarks>
internal sealed class ScriptBlockRunner : IDisposable
{
    private const string ForEachText = "param($Process) Microsoft.PowerShell.Core\\ForEach-Object -Process $Process";

    private const string ForEachCaptureText =
        "param($Process, $Capture) Microsoft.PowerShell.Core\\ForEach-Object -Process $Process | " +
        "Microsoft.PowerShell.Core\\ForEach-Object -Process $Capture";

    // A closure over the list, so the capture stage needs no variable in the caller's scope.
    private const string CaptureFactoryText = "param($Sink) { $null = $Sink.Add($_); $_ }.GetNewClosure()";

    private readonly PSCmdlet _cmdlet;
    private readonly ScriptBlock _wrapper;
    private readonly object[] _arguments;
    private readonly List<PSObject>? _captured;
    private SteppablePipeline? _pipeline;

    public ScriptBlockRunner(PSCmdlet cmdlet, ScriptBlock process, bool captureOutput)
    {
        _cmdlet = cmdlet;
        if (captureOutput)
        {
            _captured = new List<PSObject>();
            var factory = cmdlet.InvokeCommand.NewScriptBlock(CaptureFactoryText);
            var capture = (ScriptBlock)factory.Invoke(_captured)[0].BaseObject;
            _wrapper = cmdlet.InvokeCommand.NewScriptBlock(ForEachCaptureText);
            _arguments = new object[] { process, capture };
        }
        else
        {
            _wrapper = cmdlet.InvokeCommand.NewScriptBlock(ForEachText);
            _arguments = new object[] { process };
        }
    }

    /// <summary>The output of the last <see cref="Run"/>, when capture is on; otherwise empty.</summary>
    public IReadOnlyList<PSObject> Captured => (IReadOnlyList<PSObject>?)_captured ?? Array.Empty<PSObject>();

    /// <summary>Runs the script block for one item; throws what the script block threw.</summary>
    public void Run(PSObject? item)
    {
        _captured?.Clear();
        var pipeline = _pipeline ??= Begin();
        var succeeded = false;
        try
        {
            pipeline.Process(item);
            succeeded = true;
        }
        finally
        {
            if (!succeeded)
            {
                Discard();
            }
        }
    }

    /// <summary>Ends the steppable pipeline normally (ForEach-Object's end), at the end of the run.</summary>
    public void End()
    {
        if (_pipeline is not null)
        {
            _pipeline.End();
            Discard();
        }
    }

    public void Dispose() => Discard();

    private SteppablePipeline Begin()
    {
        var pipeline = _wrapper.GetSteppablePipeline(CommandOrigin.Internal, _arguments);
        pipeline.Begin(_cmdlet);
        return pipeline;
    }

    private void Discard()
    {
        _pipeline?.Dispose();
        _pipeline = null;
    }
}
