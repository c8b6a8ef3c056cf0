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
/// PowerShell also appends that original error to $Error and to -ErrorVariable, as it does for ForEach-Object.
/// With pipeline input, one steppable pipeline is stepped once per item. Without (-InputObject given directly),
/// a steppable pipeline begun by this cmdlet expects no input, so the item is passed as ForEach-Object's
/// -InputObject instead. With capture on, a second ForEach-Object stage copies each output object into a list
/// before passing it on, so -ReplayOutput can save it while it still streams.
/// </remarks>
internal sealed class ScriptBlockRunner : IDisposable
{
    private const string ForEach = "Microsoft.PowerShell.Core\\ForEach-Object -Process $Process";
    private const string CaptureStage = " | Microsoft.PowerShell.Core\\ForEach-Object -Process $Capture";

    // A closure over the list, so the capture stage needs no variable in the caller's scope.
    private const string CaptureFactoryText = "param($Sink) { $null = $Sink.Add($_); $_ }.GetNewClosure()";

    private readonly PSCmdlet _cmdlet;
    private readonly ScriptBlock _process;
    private readonly ScriptBlock? _capture;
    private readonly bool _pipelineInput;
    private readonly ScriptBlock _wrapper;
    private readonly List<PSObject>? _captured;
    private SteppablePipeline? _pipeline;

    public ScriptBlockRunner(PSCmdlet cmdlet, ScriptBlock process, bool captureOutput)
    {
        _cmdlet = cmdlet;
        _process = process;
        _pipelineInput = cmdlet.MyInvocation.ExpectingInput;
        if (captureOutput)
        {
            _captured = new List<PSObject>();
            var factory = cmdlet.InvokeCommand.NewScriptBlock(CaptureFactoryText);
            _capture = (ScriptBlock)factory.Invoke(_captured)[0].BaseObject;
        }

        var text = _pipelineInput ? "param($Process, $Capture) " + ForEach : "param($Process, $Capture, $Item) " + ForEach + " -InputObject $Item";
        _wrapper = cmdlet.InvokeCommand.NewScriptBlock(captureOutput ? text + CaptureStage : text);
    }

    /// <summary>The output of the last <see cref="Run"/>, when capture is on; otherwise empty.</summary>
    public IReadOnlyList<PSObject> Captured => (IReadOnlyList<PSObject>?)_captured ?? Array.Empty<PSObject>();

    /// <summary>Runs the script block for one item; throws what the script block threw.</summary>
    public void Run(PSObject? item)
    {
        _captured?.Clear();
        var succeeded = false;
        try
        {
            if (_pipelineInput)
            {
                _pipeline ??= Begin(_process, _capture);
                _pipeline.Process(item);
            }
            else
            {
                _pipeline = Begin(_process, _capture, item);
                End();
            }

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

    private SteppablePipeline Begin(params object?[] arguments)
    {
        var pipeline = _wrapper.GetSteppablePipeline(CommandOrigin.Internal, arguments);
        pipeline.Begin(_cmdlet);
        return pipeline;
    }

    private void Discard()
    {
        _pipeline?.Dispose();
        _pipeline = null;
    }
}
