using System.Collections;
using System.Collections.Generic;
using System.Management.Automation;

namespace IncrementalPS.Running;

/// <summary>
/// Saves an item's output with PowerShell's own serializer (CLIXML, as Export-Clixml) for -ReplayOutput, and reads
/// it back. Replayed objects are deserialized property bags, as Import-Clixml gives: primitive types come back as
/// they were, other objects keep their properties (to <see cref="ObjectDepth"/> levels) but not their methods.
/// </summary>
internal static class OutputSerializer
{
    /// <summary>Levels of properties kept per output object: Export-Clixml's default.</summary>
    public const int ObjectDepth = 2;

    /// <summary>The outputs as one CLIXML document: a list of the objects.</summary>
    public static string Serialize(IReadOnlyList<PSObject> outputs)
    {
        var list = new object[outputs.Count];
        for (var i = 0; i < outputs.Count; i++)
        {
            list[i] = outputs[i];
        }

        // One more level for the list that wraps the objects.
        return PSSerializer.Serialize(list, ObjectDepth + 1);
    }

    /// <summary>The output objects saved by <see cref="Serialize"/>, in the order they were written.</summary>
    public static IEnumerable<object> Deserialize(string text)
    {
        foreach (var top in PSSerializer.DeserializeAsList(text))
        {
            var value = top is PSObject wrapped ? wrapped.BaseObject : top;
            if (value is IEnumerable list && value is not string)
            {
                foreach (var output in list)
                {
                    yield return output;
                }
            }
            else
            {
                yield return top;
            }
        }
    }
}
