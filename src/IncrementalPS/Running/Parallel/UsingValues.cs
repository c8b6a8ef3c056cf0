using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Text;

namespace IncrementalPS.Running.Parallel;

/// <summary>
/// The values of the -Process block's <c>$using:name</c> expressions, read in the caller's scope when the run starts,
/// in the form PowerShell's own runspaces read them: a dictionary passed as the script's <c>--%</c> parameter, keyed
/// by the expression's text as PowerShell keys it (Base64 of its UTF-16 text, lower-cased for a plain variable).
/// </summary>
/// <remarks>
/// This is how Start-ThreadJob, a binary module, does it on Windows PowerShell 5.1 and PowerShell 7 alike; the engine's
/// own collector (ScriptBlockToPowerShellConverter) is internal. Like Start-ThreadJob, only variables are supported
/// (<c>$using:x</c>, <c>$using:env:PATH</c>), not indexes or members: copy those into a variable first.
/// </remarks>
internal static class UsingValues
{
    /// <summary>The parameter name under which a runspace's script receives the using values.</summary>
    public const string ParameterName = "--%";

    /// <summary>
    /// Whether the block has a $using: expression of its own. One inside an inner script block belongs to the command
    /// that block is given (Invoke-Command -ComputerName, ForEach-Object -Parallel) and does not need a runspace here.
    /// </summary>
    public static bool Appear(ScriptBlock block)
        => block.Ast.Find(ast => ast is UsingExpressionAst && !IsNested(ast, block.Ast), searchNestedScriptBlocks: true) is not null;

    /// <exception cref="ArgumentException">A using expression is not a plain variable, or the variable does not exist.</exception>
    public static Dictionary<string, object?> Collect(ScriptBlock block, PSCmdlet caller)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var usingAst in block.Ast.FindAll(ast => ast is UsingExpressionAst, searchNestedScriptBlocks: true).Cast<UsingExpressionAst>())
        {
            if (usingAst.SubExpression is not VariableExpressionAst variable)
            {
                if (IsNested(usingAst, block.Ast))
                {
                    // The inner block's command reads it (Invoke-Command -ComputerName supports $using:h.a).
                    continue;
                }

                throw new ArgumentException(
                    $"'{usingAst.Extent.Text}' is not supported when items run in runspaces (-ThrottleLimit, -TimeoutSeconds): only $using:name passes a value in. Copy the value into a variable first.");
            }

            var key = Key(usingAst);
            if (values.ContainsKey(key))
            {
                continue;
            }

            var path = variable.VariablePath;
            if (!path.IsDriveQualified && caller.SessionState.PSVariable.Get(path.UserPath) is null)
            {
                if (IsNested(usingAst, block.Ast))
                {
                    // In a script block of its own (ForEach-Object -Parallel, Invoke-Command inside the block), $using:
                    // may mean a variable of this block, which that command passes on itself when it runs.
                    continue;
                }

                throw new ArgumentException(
                    $"The variable '{path.UserPath}' in '{usingAst.Extent.Text}' is not defined in the caller's scope, so it has no value to pass in.");
            }

            values.Add(key, caller.GetVariableValue(path.UserPath));
        }

        return values;
    }

    private static bool IsNested(Ast usingAst, Ast root)
    {
        for (var parent = usingAst.Parent; parent is not null && parent != root; parent = parent.Parent)
        {
            if (parent is ScriptBlockAst)
            {
                return true;
            }
        }

        return false;
    }

    private static string Key(UsingExpressionAst usingAst)
    {
        // An index such as $using:h["Key"] keeps its case, since the key it indexes with may be case sensitive.
        var text = usingAst.ToString();
        if (usingAst.SubExpression is VariableExpressionAst)
        {
            text = text.ToLowerInvariant();
        }

        return Convert.ToBase64String(Encoding.Unicode.GetBytes(text));
    }
}
