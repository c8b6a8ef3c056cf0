using System.Globalization;

namespace IncrementalPS.Bench.Measuring;

/// <summary>The keys every peer records: item-0000001, item-0000002, …, made before timing starts.</summary>
internal static class ItemKeys
{
    public static string[] Make(int count)
    {
        var keys = new string[count];
        for (var i = 0; i < count; i++)
        {
            keys[i] = "item-" + (i + 1).ToString("D7", CultureInfo.InvariantCulture);
        }

        return keys;
    }
}
