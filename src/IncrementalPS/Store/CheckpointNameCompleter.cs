using System;
using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Language;
using IncrementalPS.Core;

namespace IncrementalPS.Store;

/// <summary>Tab completion for -Name: the checkpoints in the store ($env:INCREMENTALPS_HOME or the user data directory).</summary>
public sealed class CheckpointNameCompleter : IArgumentCompleter
{
    /// <inheritdoc />
    public IEnumerable<CompletionResult> CompleteArgument(
        string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var prefix = (wordToComplete ?? string.Empty).Trim('\'', '"');
        var pattern = WildcardPattern.Get(prefix + "*", WildcardOptions.IgnoreCase);
        foreach (var location in CheckpointStore.List())
        {
            if (pattern.IsMatch(location.Name))
            {
                yield return new CompletionResult(location.Name, location.Name, CompletionResultType.ParameterValue, location.FilePath);
            }
        }
    }
}
