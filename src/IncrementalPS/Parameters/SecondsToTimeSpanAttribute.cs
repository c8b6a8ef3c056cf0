using System;
using System.Globalization;
using System.Management.Automation;

namespace IncrementalPS.Parameters;

/// <summary>
/// Lets a TimeSpan parameter take a number of seconds (-RetryDelay 5, -RetryDelay 0.5) as well as a TimeSpan or a
/// TimeSpan string ('00:01:00'). PowerShell's own conversion would read 5 as five ticks.
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
            case string text when double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds):
                return TimeSpan.FromSeconds(seconds);
            case string text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span):
                return span;
            case string text:
                throw new ArgumentTransformationMetadataException(
                    $"'{text}' is neither a number of seconds nor a time span such as '00:00:30'.");
            default:
                return inputData;
        }
    }
}
