using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using IncrementalPS.Errors;

namespace IncrementalPS.Running;

/// <summary>
/// Runs the -Process script block once per item with ForEach-Object's semantics, through the public API, and tells
/// a failed item from a finished one.
/// </summary>
/// <remarks>
/// ForEach-Object calls ScriptBlock.InvokeUsingCmdlet, which is internal. The closest public equivalent is to run
/// ForEach-Object itself as a steppable pipeline begun with this cmdlet: the script block then runs in the caller's
/// scope with $_ and $PSItem bound, and its output and errors flow into this cmdlet's output and error pipes as they
/// are produced. ScriptBlock.InvokeWithContext would run it in a new scope and return its output only at the end;
/// PowerShell.Create(RunspaceMode.CurrentRunspace) would run it in a nested pipeline with its own streams.
/// <para>
/// What fails an item: each step of that pipeline runs inside a PowerShell try statement (<see cref="StepText"/>),
/// dot-sourced so that it adds no scope. Inside a try, PowerShell turns every error that would terminate a statement
/// (1/0, a .NET method that throws, a cmdlet's terminating error such as Invoke-RestMethod's) into one that stops the
/// whole block, whatever $ErrorActionPreference is, exactly as a try around a function call does; non-terminating
/// errors (Write-Error, Get-Item on a missing file) pass through as usual. Without it ForEach-Object would report
/// such an error and carry on with the next statement, and the item would be recorded as done.
/// break, continue and exit are not errors: the try lets them through, and so does <see cref="Run"/>.
/// The step runs with its errors written to the current error pipe (PipelineResultTypes.Error), which during this
/// cmdlet's ProcessRecord is its own: a non-terminating error then reaches the cmdlet's error stream, display,
/// redirection and -ErrorVariable as it does ForEach-Object's. The ScriptBlock overload of InvokeScript would send
/// it to the external error pipe instead, past all of them.
/// </para>
/// With pipeline input, one steppable pipeline is stepped once per item. Without (-InputObject given directly),
/// a steppable pipeline begun by this cmdlet expects no input, so the item is passed as ForEach-Object's
/// -InputObject instead. Where this PowerShell has ForEach-Object's own internal call, the step makes that call
/// instead of stepping the pipeline (<see cref="InvokeUsingCmdletStep"/>; same semantics, about 1.4 µs less per item),
/// and where it also has the flag that a try statement sets, that call runs without the try statement around it
/// (<see cref="TryStatementStep"/>).
/// With capture on, a second ForEach-Object stage copies each output object into a list
/// before passing it on, so -ReplayOutput can save it while it still streams.
/// </remarks>
internal sealed class ScriptBlockRunner : IDisposable
{
    private const string ForEach = "Microsoft.PowerShell.Core\\ForEach-Object -Process $Process";
    private const string CaptureStage = " | Microsoft.PowerShell.Core\\ForEach-Object -Process $Capture";

    // $args only, no param(): dot-sourced, a parameter would become a variable in the caller's scope. A stop
    // (Ctrl+C, Select-Object -First downstream) is not the item's failure and goes on up.
    private const string StepText =
        "try { $args[0].Invoke() } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $_ }";

    // A closure over the list, so the capture stage needs no variable in the caller's scope.
    private const string CaptureFactoryText = "param($Sink) { $null = $Sink.Add($_); $_ }.GetNewClosure()";

    private readonly PSCmdlet _cmdlet;
    private readonly ScriptBlock _process;
    private readonly ScriptBlock? _capture;
    private readonly bool _pipelineInput;
    private readonly ScriptBlock _wrapper;
    private readonly ScriptBlock _step;
    private readonly List<PSObject>? _captured;
    private SteppablePipeline? _pipeline;
    private PSObject? _item;
    private readonly Action _stepAction;
    private readonly InvokeUsingCmdletStep? _direct;
    private readonly TryStatementStep? _inTry;

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
        _step = cmdlet.InvokeCommand.NewScriptBlock(StepText);
        _stepAction = Step;

        // Capturing output needs the capture stage of the steppable pipeline; otherwise ForEach-Object's own call.
        _direct = captureOutput ? null : InvokeUsingCmdletStep.TryCreate(process, cmdlet);
        _inTry = captureOutput ? null : TryStatementStep.TryCreate(process, cmdlet);
    }

    /// <summary>The output of the last <see cref="Run"/>, when capture is on; otherwise empty.</summary>
    public IReadOnlyList<PSObject> Captured => (IReadOnlyList<PSObject>?)_captured ?? Array.Empty<PSObject>();

    /// <summary>Runs the script block for one item.</summary>
    /// <exception cref="ScriptBlockFailedException">The script block failed for this item.</exception>
    /// <exception cref="FlowControlException">break, continue or exit in the script block: they leave this command.</exception>
    /// <exception cref="PipelineStoppedException">The pipeline is stopping.</exception>
    public void Run(PSObject? item)
    {
        _captured?.Clear();
        if (_inTry is not null)
        {
            if (_inTry.Run(item) is { } caught)
            {
                Fail(caught);
            }

            return;
        }

        _item = item;
        var succeeded = false;
        try
        {
            var failure = _cmdlet.InvokeCommand.InvokeScript(StepText, false, PipelineResultTypes.Error, null, _stepAction)
                .Select(result => result?.BaseObject)
                .OfType<ErrorRecord>()
                .FirstOrDefault();
            if (failure is not null)
            {
                Fail(failure);
            }

            succeeded = true;
        }
        finally
        {
            _item = null;
            if (!succeeded)
            {
                // A pipeline whose command failed or was left by break cannot step again.
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

    private void Step()
    {
        if (_direct is not null)
        {
            _direct.Run(_item);
        }
        else if (_pipelineInput)
        {
            _pipeline ??= Begin(_process, _capture);
            _pipeline.Process(_item);
        }
        else
        {
            _pipeline = Begin(_process, _capture, _item);
            End();
        }
    }

    private void Fail(ErrorRecord failure)
    {
        ErrorHistory.Forget(_cmdlet, failure);
        var original = Original(failure);
        throw new ScriptBlockFailedException(original.ErrorRecord ?? failure, original.Exception);
    }

    /// <summary>
    /// The error as the script block raised it. The step's call of the delegate wraps it in a
    /// MethodInvocationException, and a cmdlet's terminating error arrives in CmdletInvocationExceptions (one from the
    /// cmdlet, one from ForEach-Object) whose message is the original's but whose outer records are PowerShell's
    /// copies. A CmdletInvocationException around an exception that has no record of its own (the cmdlet's
    /// ArgumentException, HttpRequestException) holds the cmdlet's ErrorRecord, its id and category: that one stands
    /// for the error. Around an error with a record (a throw, 1/0, a nested wrapper) it is only a wrapper.
    /// </summary>
    private static (ErrorRecord? ErrorRecord, Exception Exception) Original(ErrorRecord caught)
    {
        var exception = caught.Exception is MethodInvocationException { InnerException: { } called } ? called : caught.Exception;
        while (exception is CmdletInvocationException { InnerException: IContainsErrorRecord and Exception inner })
        {
            exception = inner;
        }

        return (exception is IContainsErrorRecord { ErrorRecord: { } record } ? record : null, exception);
    }

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
