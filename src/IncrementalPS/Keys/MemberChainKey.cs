using System;
using System.Collections;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace IncrementalPS.Keys;

/// <summary>
/// A -Key script block that only reads a property chain of the item (<c>{ $_ }</c>, <c>{ $_.Name }</c>,
/// <c>{ $PSItem.A.B }</c>), evaluated without running the script block where the answer is certainly the one the block
/// would give: each step a property that the item has, and a final value that PowerShell would not enumerate.
/// Anything else (a missing property, a dictionary or a collection on the way, a getter that throws, a $null or a
/// collection at the end) answers "run the block", so that the block gives its own result and errors.
/// </summary>
/// <remarks>
/// Why: running a -Key script block made a new scope per item and cost about 4 µs, as much as the rest of
/// Invoke-Incremental's own work (docs/benchmarks.md). Such a block cannot change the caller's variables either way.
/// </remarks>
internal sealed class MemberChainKey
{
    private readonly string[] _members;

    private MemberChainKey(string[] members)
    {
        _members = members;
    }

    /// <summary>The property names, outermost first (tests).</summary>
    internal string[] Members => _members;

    /// <summary>Set by tests to run every -Key script block.</summary>
    internal static bool Disabled { get; set; }

    /// <summary>The chain of <paramref name="script"/>, or null when it is anything more than a property chain of $_.</summary>
    public static MemberChainKey? TryParse(ScriptBlock script)
    {
        if (Disabled || script.Ast is not ScriptBlockAst block || block.ParamBlock is not null || block.DynamicParamBlock is not null ||
            block.BeginBlock is not null || block.ProcessBlock is not null || block.EndBlock is not { Unnamed: true } body ||
            block.UsingStatements.Count > 0 || block.ScriptRequirements is not null || (body.Traps?.Count ?? 0) > 0 ||
            body.Statements.Count != 1 || body.Statements[0] is not PipelineAst { PipelineElements.Count: 1 } pipeline ||
            IsSet(pipeline, "Background") || pipeline.PipelineElements[0] is not CommandExpressionAst { Redirections.Count: 0 } command)
        {
            return null;
        }

        var members = new System.Collections.Generic.List<string>();
        var expression = command.Expression;
        while (expression is MemberExpressionAst member)
        {
            // Not a method call ($_.M()), not static ([T]::M), not $_?.Name, and a plain name, not $_.($name).
            if (member.GetType() != typeof(MemberExpressionAst) || member.Static || IsSet(member, "NullConditional") ||
                member.Member is not StringConstantExpressionAst name)
            {
                return null;
            }

            members.Insert(0, name.Value);
            expression = member.Expression;
        }

        return expression is VariableExpressionAst { Splatted: false } variable && variable.VariablePath.IsUnqualified &&
            (variable.VariablePath.UserPath == "_" || string.Equals(variable.VariablePath.UserPath, "PSItem", StringComparison.OrdinalIgnoreCase))
            ? new MemberChainKey(members.ToArray())
            : null;
    }

    /// <summary>
    /// The one value the block would return for <paramref name="item"/>, when that is certain; false when the block
    /// must run to tell.
    /// </summary>
    public bool TryEvaluate(PSObject? item, out object value)
    {
        value = null!;
        object? current = item;
        foreach (var name in _members)
        {
            var target = current is PSObject wrapped ? wrapped.BaseObject : current;

            // A dictionary's keys come before its properties, and a collection's members are its elements' (member
            // enumeration): the block decides those.
            if (target is null || target is IDictionary || (target is IEnumerable && target is not string))
            {
                return false;
            }

            // Members, not Properties: PowerShell takes the first member of the name, which may be a method.
            if (PSObject.AsPSObject(current!).Members[name] is not PSPropertyInfo property)
            {
                return false;
            }

            try
            {
                current = property.Value;
            }
            catch (Exception exception) when (exception is not PipelineStoppedException)
            {
                // The block reports it, with PowerShell's own wrapping and position (the getter runs again there).
                return false;
            }
        }

        var result = current is PSObject outer ? outer.BaseObject : current;
        if (result is null || !IsScalar(result))
        {
            return false;
        }

        value = result;
        return true;
    }

    /// <summary>Values PowerShell writes to the pipeline as one object (a string, a number, a file's info...).</summary>
    private static bool IsScalar(object value)
        => value is string or FileSystemInfo || KeySelector.StableText(value) is not null;

    /// <summary>A PowerShell 7 flag that the compile-time reference (PowerShell 5.1) does not have.</summary>
    private static bool IsSet(Ast ast, string property)
        => ast.GetType().GetProperty(property)?.GetValue(ast) is true;
}
