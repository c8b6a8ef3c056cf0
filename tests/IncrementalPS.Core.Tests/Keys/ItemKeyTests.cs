using System;
using System.IO;
using FsCheck;
using FsCheck.Fluent;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Keys;

public sealed class ItemKeyTests
{
    [Theory]
    [InlineData("")]
    [InlineData("C:\\data\\file.csv")]
    [InlineData("/var/log/app.log")]
    public void Short_keys_are_unchanged(string key)
    {
        Assert.Same(key, ItemKey.Bounded(key));
    }

    [Fact]
    public void A_key_of_exactly_the_maximum_length_is_unchanged()
    {
        var key = new string('k', ItemKey.DefaultMaxLength);

        Assert.Equal(key, ItemKey.Bounded(key));
    }

    [Fact]
    public void A_long_key_keeps_its_readable_beginning_and_a_hash_within_the_bound()
    {
        var key = "/very/long/path/" + new string('x', 1000) + "/file.csv";

        var bounded = ItemKey.Bounded(key, 64);

        Assert.True(bounded.Length <= 64, $"'{bounded}' is {bounded.Length} characters");
        Assert.StartsWith("/very/long/path/", bounded, StringComparison.Ordinal);
        Assert.Matches("~[0-9a-f]{16}$", bounded);
        Assert.Equal(bounded, ItemKey.Bounded(key, 64));
    }

    [Fact]
    public void Long_keys_with_the_same_beginning_stay_distinct()
    {
        var common = new string('p', 500);

        Assert.NotEqual(ItemKey.Bounded(common + "a"), ItemKey.Bounded(common + "b"));
    }

    [Fact]
    public void Distinct_long_keys_give_distinct_bounded_keys()
    {
        Prop.ForAll<NonEmptyString, NonEmptyString, NonEmptyString>((prefixSeed, a, b) =>
        {
            var prefix = prefixSeed.Get.PadRight(300, '-');
            var first = prefix + a.Get;
            var second = prefix + b.Get;

            return (ItemKey.Bounded(first, 100) != ItemKey.Bounded(second, 100)).When(first != second);
        }).Check(Properties.Config(200));
    }

    [Fact]
    public void A_bounded_key_fits_the_bound_and_short_keys_pass_through()
    {
        Prop.ForAll<NonNull<string>, PositiveInt>((key, extra) =>
        {
            var max = 18 + (extra.Get % 300);

            var bounded = ItemKey.Bounded(key.Get, max);

            return bounded.Length <= max && (key.Get.Length > max || bounded == key.Get);
        }).Check(Properties.Config(200));
    }

    [Fact]
    public void A_well_formed_key_stays_well_formed_UTF16()
    {
        // A split surrogate pair would be replaced when the key is written as JSON, and the key would change.
        Prop.ForAll<NonNull<string>, PositiveInt>((key, extra) =>
        {
            var max = 18 + (extra.Get % 40);

            return IsWellFormed(ItemKey.Bounded(key.Get, max)).When(IsWellFormed(key.Get));
        }).Check(Properties.Config(200));
    }

    [Fact]
    public void A_surrogate_pair_at_the_cut_is_not_split()
    {
        var key = new string('a', 238) + "\U0001F600" + new string('z', 100);

        var bounded = ItemKey.Bounded(key);

        Assert.True(bounded.Length <= ItemKey.DefaultMaxLength);
        Assert.False(char.IsHighSurrogate(bounded[bounded.IndexOf('~', StringComparison.Ordinal) - 1]));
    }

    [Fact]
    public void A_bound_too_small_for_the_hash_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ItemKey.Bounded("anything", 17));
        Assert.Throws<ArgumentNullException>(() => ItemKey.Bounded(null!));
    }

    [Fact]
    public void A_path_key_is_the_full_path()
    {
        Assert.Equal(Path.GetFullPath("some/file.txt"), ItemKey.ForPath("some/file.txt"));
        Assert.Equal(ItemKey.ForPath("some/./file.txt"), ItemKey.ForPath("some/file.txt"));
    }

    [Fact]
    public void A_fingerprint_ignores_line_endings_and_surrounding_blanks_but_not_the_code()
    {
        var unix = ItemKey.Fingerprint("Import-Thing $_\n| Out-Null\n");
        var windows = ItemKey.Fingerprint("  Import-Thing $_\r\n| Out-Null");

        Assert.Equal(unix, windows);
        Assert.StartsWith("sha256:", unix, StringComparison.Ordinal);
        Assert.NotEqual(unix, ItemKey.Fingerprint("Export-Thing $_\n| Out-Null"));
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]))
            {
                if (i + 1 >= text.Length || !char.IsLowSurrogate(text[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(text[i]))
            {
                return false;
            }
        }

        return true;
    }
}
