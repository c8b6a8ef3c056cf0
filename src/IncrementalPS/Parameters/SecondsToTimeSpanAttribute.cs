using System;
using System.Globalization;
using System.Management.Automation;
using IncrementalPS.Core;

namespace IncrementalPS.Parameters;

/// <summary>
/// Lets a TimeSpan parameter take a number of seconds (-RetryDelay 5, -RetryDelay 0.5), a TimeSpan, or the texts
/// incps --retry-delay takes ('1.5', '250ms', '2s', '5m', '1h', '00:01:00'), parsed by the engine's one parser.
/// PowerShell's own conversion would read 5 as five ticks.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
internal sealed class SecondsToTimeSpanAttribute : ArgumentTransformationAttribute
{
    public override object Transform(EngineIntrinsics engineIntrinsics, object inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        switch (value)
        {
            case TimeSpan span:
                return span;
            case int or long or double or float or decimal or short or byte:
                return TimeSpan.FromSeconds(Convert.ToDouble(value, CultureInfo.InvariantCulture));
            case string text when DurationParser.TryParse(text, out var span):
                return span;
            case string text:
                throw new ArgumentTransformationMetadataException(
                    $"'{text}' is not a duration: give seconds (1.5), a unit (250ms, 2s, 5m, 1h, 30d) or a time span (00:00:30).");
            default:
                return inputData;
        }
    }
}
