using System;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;

namespace IncrementalPS.Running;

/// <summary>
/// Runs the -Process script block for one item as ForEach-Object does (<see cref="InvokeUsingCmdletStep"/>), inside
/// what a PowerShell try statement sets up, without running a try statement: the execution context's
/// PropagateExceptionsToEnclosingStatementBlock flag is set around the call, as the try statement's compiled code sets
/// it around its body, and <see cref="Run"/> catches what its catch would. Null from <see cref="TryCreate"/> when this
/// PowerShell lacks the call or the flag: the runner then runs the try statement (StepText) as before.
/// </summary>
/// <remarks>
/// Why: the try statement around each item was about 1.7 µs of an item's 9 (docs/benchmarks.md): parsing-cache lookup,
/// a dot-sourced script block with its locals, and PowerShell's method call of the step delegate. The flag is what makes
/// an error that would end only a statement (1/0, a .NET method that throws) end the whole block instead (MiscOps.cs,
/// ExceptionCannotBeStoppedContinuedOrIgnored); it is set for exactly the span of the call, as the try does, so a
/// downstream or upstream command never runs with it set when it would not have before.
/// </remarks>
internal sealed class TryStatementStep
{
    private static readonly Action<ScriptBlock, Cmdlet, object?, object?>? s_invoke = Compile();

    private readonly ScriptBlock _process;
    private readonly Cmdlet _cmdlet;

    private TryStatementStep(ScriptBlock process, Cmdlet cmdlet)
    {
        _process = process;
        _cmdlet = cmdlet;
    }

    /// <summary>Whether this PowerShell has the call and the flag (a test fails when a new version drops either).</summary>
    internal static bool IsAvailable => s_invoke is not null;

    /// <summary>Set by tests to run the try statement instead.</summary>
    internal static bool Disabled { get; set; }

    public static TryStatementStep? TryCreate(ScriptBlock process, Cmdlet cmdlet)
        => s_invoke is null || Disabled || InvokeUsingCmdletStep.Disabled ? null : new TryStatementStep(process, cmdlet);

    /// <summary>
    /// Runs the block for one item. Returns null when it finished, or the error record that
    /// <c>try { $args[0].Invoke() } catch [PipelineStoppedException] { throw } catch { $_ }</c> would have output.
    /// </summary>
    /// <exception cref="FlowControlException">break, continue or exit (a try does not catch them).</exception>
    /// <exception cref="PipelineStoppedException">The pipeline is stopping.</exception>
    public ErrorRecord? Run(PSObject? item)
    {
        // As InvokeCommand.InvokeScript does before it runs the try statement.
        if (_cmdlet.Stopping)
        {
            throw new PipelineStoppedException();
        }

        try
        {
            s_invoke!(_process, _cmdlet, item, new object?[] { item });
            return null;
        }
        catch (RuntimeException exception) when (exception is PipelineStoppedException || (exception is MethodException && exception.InnerException is PipelineStoppedException))
        {
            // catch [PipelineStoppedException] { throw }: PowerShell matches the exception or the one it wraps.
            throw;
        }
        catch (Exception exception) when (exception is not FlowControlException)
        {
            // catch { $_ }, as the try statement saw the error: through PowerShell's call of the step delegate, which
            // wraps it in a MethodInvocationException unless it is a MethodException or ScriptCallDepthException
            // (ExceptionHandlingOps.ConvertToMethodInvocationException). The runner unwraps that wrapper again.
            var seen = exception is MethodException or ScriptCallDepthException
                ? (RuntimeException)exception
                : new MethodInvocationException(
                    "Exception calling \"Invoke\" with \"0\" argument(s): \"" + exception.Message + "\"",
                    exception);
            return new ErrorRecord(seen.ErrorRecord, seen);
        }
    }

    private static Action<ScriptBlock, Cmdlet, object?, object?>? Compile()
    {
        var contextProperty = typeof(InternalCommand).GetProperty("Context", BindingFlags.Instance | BindingFlags.NonPublic);
        var flag = contextProperty?.PropertyType.GetProperty("PropagateExceptionsToEnclosingStatementBlock", BindingFlags.Instance | BindingFlags.NonPublic);
        if (contextProperty is null || contextProperty.PropertyType.FullName != "System.Management.Automation.ExecutionContext" ||
            flag is null || flag.PropertyType != typeof(bool) || !flag.CanRead || !flag.CanWrite)
        {
            return null;
        }

        var script = Expression.Parameter(typeof(ScriptBlock));
        var cmdlet = Expression.Parameter(typeof(Cmdlet));
        var item = Expression.Parameter(typeof(object));
        var inputList = Expression.Parameter(typeof(object));
        var call = InvokeUsingCmdletStep.Call(script, cmdlet, item, inputList);
        if (call is null)
        {
            return null;
        }

        // context = cmdlet.Context; old = context.Flag; try { context.Flag = true; call } finally { context.Flag = old }
        var context = Expression.Variable(contextProperty.PropertyType);
        var old = Expression.Variable(typeof(bool));
        var body = Expression.Block(
            new[] { context, old },
            Expression.Assign(context, Expression.Property(cmdlet, contextProperty)),
            Expression.Assign(old, Expression.Property(context, flag)),
            Expression.TryFinally(
                Expression.Block(Expression.Assign(Expression.Property(context, flag), Expression.Constant(true)), call),
                Expression.Assign(Expression.Property(context, flag), old)));
        return Expression.Lambda<Action<ScriptBlock, Cmdlet, object?, object?>>(body, script, cmdlet, item, inputList).Compile();
    }
}
