using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Journal;

/// <summary>
/// Thousands of damaged copies of one valid checkpoint (bit flips, changed, inserted and deleted bytes, cuts): none
/// makes an item that never ran Completed, none changes any item's state except by losing a torn tail, and every copy
/// that is refused is refused by the writers too and left byte for byte as it was.
/// </summary>
public sealed class MutationFuzzTests
{
    private const int Mutations = 2500;
    private const int Seed = 20261129;

    [Fact]
    public void No_damage_is_believed_and_every_refused_file_is_left_unchanged()
    {
        using var store = new TempStore();
        var original = File.ReadAllBytes(FormatVersionTests.MakeMixed(store, "source").FilePath);
        var lineEnds = LineEnds(original);
        var prefixStates = PrefixStates(store, original, lineEnds);
        var ranKeys = prefixStates[^1]!.Keys.ToHashSet(StringComparer.Ordinal);
        Assert.Contains(prefixStates[^1]!, p => p.Value == ItemState.Completed);
        Assert.Contains(prefixStates[^1]!, p => p.Value == ItemState.Failed);
        Assert.Contains(prefixStates[^1]!, p => p.Value == ItemState.InFlight);

        var random = new Random(Seed);
        var path = store.PathOf("fuzzed.checkpoint.jsonl");
        var location = CheckpointLocation.FromPath(path);
        int accepted = 0, refused = 0;
        for (var round = 0; round < Mutations; round++)
        {
            var (what, mutated, firstChange) = Mutate(original, random);
            File.WriteAllBytes(path, mutated);
            var context = $"mutation {round} (seed {Seed}): {what} at byte {firstChange}";

            IReadOnlyList<CheckpointItem> items;
            try
            {
                items = CheckpointInspector.ReadItems(location);
            }
            catch (CheckpointException)
            {
                refused++;
                AssertWritersRefuseAndLeaveUnchanged(location, mutated, context);
                continue;
            }

            accepted++;
            var states = items.ToDictionary(i => i.Key, i => i.State, StringComparer.Ordinal);
            foreach (var (key, state) in states)
            {
                Assert.True(ranKeys.Contains(key), $"{context}: '{key}', which never ran, reads as {state}");
            }

            // Lines wholly before the first changed byte are intact; the scan may only have dropped what follows as a torn tail.
            var intact = lineEnds.Count(end => end <= firstChange);
            Assert.True(
                Enumerable.Range(intact, prefixStates.Length - intact).Any(n => prefixStates[n] is { } expected && Same(expected, states)),
                $"{context}: the items read as {Describe(states)}, which no intact prefix of the file gives");
        }

        // Most damage is refused; what is accepted is a cut (a torn tail) or damage in the last line, dropped as torn.
        Assert.True(refused > Mutations / 2, $"only {refused} of {Mutations} mutations were refused");
        Assert.True(accepted > 0, "no mutation was accepted: the torn-tail rule was not exercised");
    }

    private static void AssertWritersRefuseAndLeaveUnchanged(CheckpointLocation location, byte[] mutated, string context)
    {
        var writers = new (string Name, Action Call)[]
        {
            ("CheckpointSession.Start", () => CheckpointSession.Start(location, Sessions.Options()).Dispose()),
            ("CheckpointReset.ResetFailed", () => CheckpointReset.ResetFailed(location)),
        };

        foreach (var (name, call) in writers)
        {
            var error = Record.Exception(call);
            Assert.True(error is CheckpointException, $"{context}: {name} did not refuse the file the reader refused ({error?.GetType().Name ?? "accepted"})");
            Assert.True(File.ReadAllBytes(location.FilePath).AsSpan().SequenceEqual(mutated), $"{context}: {name} changed the refused file");
        }
    }

    private static (string What, byte[] Bytes, int FirstChange) Mutate(byte[] original, Random random)
    {
        var at = random.Next(original.Length);
        var bytes = (byte[])original.Clone();
        switch (random.Next(5))
        {
            case 0:
                bytes[at] ^= (byte)(1 << random.Next(8));
                return ("a flipped bit", bytes, at);
            case 1:
                var value = (byte)random.Next(256);
                bytes[at] = value;
                return ($"a byte changed to 0x{value:x2}", bytes, bytes[at] == original[at] ? original.Length : at);
            case 2:
                var inserted = (byte)random.Next(256);
                return ($"a byte 0x{inserted:x2} inserted", [.. original.AsSpan(0, at), inserted, .. original.AsSpan(at)], at);
            case 3:
                return ("a byte deleted", [.. original.AsSpan(0, at), .. original.AsSpan(at + 1)], at);
            default:
                return ("a cut", original[..at], at);
        }
    }

    /// <summary>Offsets just past each line's newline.</summary>
    private static int[] LineEnds(byte[] bytes)
    {
        var ends = new List<int>();
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == (byte)'\n')
            {
                ends.Add(i + 1);
            }
        }

        return [.. ends];
    }

    /// <summary>The items' states when the file holds only its first n lines (null: no header, not a checkpoint).</summary>
    private static Dictionary<string, ItemState>?[] PrefixStates(TempStore store, byte[] original, int[] lineEnds)
    {
        var states = new Dictionary<string, ItemState>?[lineEnds.Length + 1];
        for (var n = 1; n <= lineEnds.Length; n++)
        {
            var location = store.FileWith($"prefix-{n}.checkpoint.jsonl", original[..lineEnds[n - 1]]);
            states[n] = CheckpointInspector.ReadItems(location).ToDictionary(i => i.Key, i => i.State, StringComparer.Ordinal);
        }

        return states;
    }

    private static bool Same(Dictionary<string, ItemState> a, Dictionary<string, ItemState> b)
        => a.Count == b.Count && a.All(p => b.TryGetValue(p.Key, out var s) && s == p.Value);

    private static string Describe(Dictionary<string, ItemState> states)
        => string.Join(", ", states.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
