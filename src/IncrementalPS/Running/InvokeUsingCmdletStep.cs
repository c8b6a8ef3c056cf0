using System;
using System.Linq;
using System.Linq.Expressions;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;

namespace IncrementalPS.Running;

/// <summary>
/// Runs the -Process script block for one item exactly as ForEach-Object does, by calling the same internal method
/// (ScriptBlock.InvokeUsingCmdlet: dot-sourced, $_ bound, output to the cmdlet's output pipe, errors to the current
/// error pipe), through a delegate compiled once. Null from <see cref="TryCreate"/> when this PowerShell has no such
/// method: the runner then steps a ForEach-Object instead (public API, about 1.4 µs more per item).
/// </summary>
/// <remarks>
/// Why internals: a steppable ForEach-Object binds -InputObject and steps a pipeline processor for every item before it
/// makes this very call; no public API binds $_ in the caller's scope without that (the benchmark's profile,
/// docs/benchmarks.md). Its signature has been the same since PowerShell 3 and in Windows PowerShell 5.1.
/// </remarks>
internal sealed class InvokeUsingCmdletStep
{
    private static readonly Action<ScriptBlock, Cmdlet, object?, object?>? s_invoke = Compile();

    private readonly ScriptBlock _process;
    private readonly Cmdlet _cmdlet;

    private InvokeUsingCmdletStep(ScriptBlock process, Cmdlet cmdlet)
    {
        _process = process;
        _cmdlet = cmdlet;
    }

    /// <summary>Whether this PowerShell has the method (a test fails when a new version drops it).</summary>
    internal static bool IsAvailable => s_invoke is not null;

    /// <summary>Set by tests to run the public fallback.</summary>
    internal static bool Disabled { get; set; }

    public static InvokeUsingCmdletStep? TryCreate(ScriptBlock process, Cmdlet cmdlet)
        => s_invoke is null || Disabled ? null : new InvokeUsingCmdletStep(process, cmdlet);

    public void Run(PSObject? item) => s_invoke!(_process, _cmdlet, item, new object?[] { item });

    private static Action<ScriptBlock, Cmdlet, object?, object?>? Compile()
    {
        var script = Expression.Parameter(typeof(ScriptBlock));
        var cmdlet = Expression.Parameter(typeof(Cmdlet));
        var item = Expression.Parameter(typeof(object));
        var inputList = Expression.Parameter(typeof(object));
        var call = Call(script, cmdlet, item, inputList);
        return call is null ? null : Expression.Lambda<Action<ScriptBlock, Cmdlet, object?, object?>>(call, script, cmdlet, item, inputList).Compile();
    }

    /// <summary>
    /// The call ForEach-Object makes, as an expression over the given parameters (ScriptBlock, Cmdlet, object item,
    /// object input list); null when this PowerShell's method is missing or has another signature.
    /// </summary>
    internal static Expression? Call(Expression script, Expression cmdlet, Expression item, Expression inputList)
    {
        var method = typeof(ScriptBlock).GetMethod("InvokeUsingCmdlet", BindingFlags.Instance | BindingFlags.NonPublic);
        var behavior = typeof(ScriptBlock).GetNestedType("ErrorHandlingBehavior", BindingFlags.NonPublic);
        if (method is null || behavior is null || !behavior.IsEnum || !Enum.IsDefined(behavior, "WriteToCurrentErrorPipe"))
        {
            return null;
        }

        // (Cmdlet contextCmdlet, bool useLocalScope, ErrorHandlingBehavior, object dollarUnder, object input, object scriptThis, object[] args)
        var expected = new[] { typeof(Cmdlet), typeof(bool), behavior, typeof(object), typeof(object), typeof(object), typeof(object[]) };
        var actual = Array.ConvertAll(method.GetParameters(), parameter => parameter.ParameterType);
        if (method.ReturnType != typeof(void) || !actual.SequenceEqual(expected))
        {
            return null;
        }

        return Expression.Call(
            script,
            method,
            cmdlet,
            Expression.Constant(false),
            Expression.Constant(Enum.Parse(behavior, "WriteToCurrentErrorPipe")),
            item,
            inputList,
            Expression.Constant(AutomationNull.Value, typeof(object)),
            Expression.Constant(Array.Empty<object>()));
    }
}
