using System;
using System.Collections.Generic;
using System.Globalization;
using System.Management.Automation;
using System.Threading;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// Runs the -Process block for one item (or one batch) in a pooled runspace, with ForEach-Object's semantics, and
/// sends everything it writes to the pipeline thread as it is written.
/// </summary>
/// <remarks>
/// The caller's ScriptBlock belongs to the caller's runspace (invoking it elsewhere would run it there), so each
/// runspace runs the block's text inside a small script (<see cref="WrapperStart"/>): ForEach-Object binds $_ as in the
/// sequential mode, and the try turns an error that would only end a statement into the item's failure, which the
/// catch hands back through a [ref] instead of the error stream. The $using: values reach the script as its
/// <c>--%</c> parameter, where PowerShell looks them up from every scope below it.
/// </remarks>
internal sealed class RunspaceScript
{
    private const string WrapperStart = "try { , $args[1] | Microsoft.PowerShell.Core\\ForEach-Object -Process {";
    // $args[2] is set only when the pipeline ends normally: break, continue or exit in the block leave before it.
    private const string WrapperEnd =
        "\n}; $args[2].Value = $true } catch [System.Management.Automation.PipelineStoppedException] { throw } catch { $args[0].Value = $_ }";

    private readonly string _text;
    private readonly Dictionary<string, object?> _using;
    private readonly PipelineQueue _queue;
    private readonly PSCmdlet _cmdlet;
    private readonly ParallelProgressView _progress;
    private readonly TimeSpan? _timeout;

    public RunspaceScript(ScriptBlock block, Dictionary<string, object?> usingValues, PSCmdlet cmdlet, PipelineQueue queue, ParallelProgressView progress, TimeSpan? timeout)
    {
        _text = WrapperStart + block.ToString() + WrapperEnd;
        _using = usingValues;
        _cmdlet = cmdlet;
        _queue = queue;
        _progress = progress;
        _timeout = timeout;
    }

    /// <summary>Runs the block with <paramref name="input"/> as $_; returns its output when <paramref name="capture"/> is set.</summary>
    /// <exception cref="ScriptBlockFailedException">The block failed, or ran longer than the timeout and was stopped.</exception>
    /// <exception cref="OperationCanceledException">The run is stopping; the block was stopped.</exception>
    /// <exception cref="BlockLeftException">break, continue or exit left the block: the item neither failed nor finished.</exception>
    public List<PSObject>? Run(PooledRunspace pooled, object? input, bool capture, WrittenOutput written, CancellationToken cancellationToken)
    {
        var captured = capture ? new List<PSObject>() : null;
        var failure = new PSReference(null);
        var finished = new PSReference(false);
        using var shell = PowerShell.Create();
        shell.Runspace = pooled.Runspace;

        // A scope of its own per item: variables an item sets do not leak into the next item in the same runspace.
        shell.AddScript(_text, useLocalScope: true).AddArgument(failure).AddArgument(input).AddArgument(finished);
        if (_using.Count > 0)
        {
            shell.AddParameter(UsingValues.ParameterName, _using);
        }

        using var output = new PSDataCollection<PSObject>();
        Forward(shell, output, captured, written, pooled.Index);
        try
        {
            var pending = shell.BeginInvoke<PSObject, PSObject>(null, output);
            var signalled = WaitHandle.WaitAny(
                new[] { pending.AsyncWaitHandle, cancellationToken.WaitHandle },
                _timeout ?? Timeout.InfiniteTimeSpan);
            if (signalled != 0 && !(signalled == WaitHandle.WaitTimeout && pending.IsCompleted))
            {
                // Ctrl+C, a downstream Select-Object -First, or the timeout: stop the item's pipeline where it is.
                shell.Stop();
                cancellationToken.ThrowIfCancellationRequested();

                // An item that finished while it was being stopped did its work: done, not timed out.
                if (shell.InvocationStateInfo.State != PSInvocationState.Completed)
                {
                    throw TimedOut(input);
                }
            }

            shell.EndInvoke(pending);
        }
        catch (RuntimeException exception) when (!cancellationToken.IsCancellationRequested)
        {
            // What the script's try could not catch: a parse error in the block, or a stop from inside it.
            throw new ScriptBlockFailedException(exception.ErrorRecord, exception);
        }
        finally
        {
            _queue.Post(() => _progress.CompleteChildren(pooled.Index));
        }

        if (failure.Value is ErrorRecord error)
        {
            var original = ScriptFailure.Original(error);
            throw new ScriptBlockFailedException(original.ErrorRecord ?? error, original.Exception);
        }

        if (finished.Value is not true)
        {
            throw new BlockLeftException();
        }

        return captured;
    }

    private ScriptBlockFailedException TimedOut(object? input)
    {
        var seconds = _timeout!.Value.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        var exception = new TimeoutException($"The item was still running after {seconds} s (-TimeoutSeconds) and was stopped.");
        return new ScriptBlockFailedException(new ErrorRecord(exception, "ItemTimedOut", ErrorCategory.OperationTimeout, input), exception);
    }

    /// <summary>Sends each record to the pipeline thread as the runspace writes it (events run on the writing thread).</summary>
    private void Forward(PowerShell shell, PSDataCollection<PSObject> output, List<PSObject>? captured, WrittenOutput written, int slot)
    {
        var cmdlet = _cmdlet;
        var queue = _queue;
        output.DataAdded += (_, _) =>
        {
            foreach (var item in output.ReadAll())
            {
                captured?.Add(item);
                written.Queued();
                queue.Post(() =>
                {
                    cmdlet.WriteObject(item);
                    written.Written();
                });
            }
        };

        var streams = shell.Streams;
        streams.Error.DataAdded += (_, _) =>
        {
            foreach (var record in streams.Error.ReadAll())
            {
                queue.Post(() => cmdlet.WriteError(record));
            }
        };
        streams.Warning.DataAdded += (_, _) =>
        {
            foreach (var record in streams.Warning.ReadAll())
            {
                queue.Post(() => cmdlet.WriteWarning(record.Message));
            }
        };
        streams.Verbose.DataAdded += (_, _) =>
        {
            foreach (var record in streams.Verbose.ReadAll())
            {
                queue.Post(() => cmdlet.WriteVerbose(record.Message));
            }
        };
        streams.Debug.DataAdded += (_, _) =>
        {
            foreach (var record in streams.Debug.ReadAll())
            {
                queue.Post(() => cmdlet.WriteDebug(record.Message));
            }
        };
        streams.Information.DataAdded += (_, _) =>
        {
            foreach (var record in streams.Information.ReadAll())
            {
                queue.Post(() => cmdlet.WriteInformation(record));
            }
        };
        var progress = _progress;
        streams.Progress.DataAdded += (_, _) =>
        {
            foreach (var record in streams.Progress.ReadAll())
            {
                queue.Post(() => progress.WriteChild(slot, record));
            }
        };
    }
}
