using System;
using System.IO;
using System.Linq;
using System.Text;
using IncrementalPS.Core.Tests.Support;
using Xunit;

namespace IncrementalPS.Core.Tests.Keys;

public sealed class KeyHashTests
{
    private static readonly byte[] s_secret = Encoding.UTF8.GetBytes("correct horse battery staple 42");
    private static readonly byte[] s_otherSecret = Encoding.UTF8.GetBytes("another secret, also long enough");

    // Personal data as keys, one too long for an in-flight slot (it gets an item-started record).
    private static readonly string[] s_keys = ["alice@example.com", "bob@example.org", "carol.lastname@example.net", new string('z', 1500) + "@example.com"];

    [Fact]
    public void The_hash_is_hex_HMAC_SHA256_of_the_key_s_UTF8_bytes_as_RFC_4231_computes_it()
    {
        // RFC 4231, test case 1: key 0x0b x 20, data "Hi There".
        using var hasher = new KeyHasher(Enumerable.Repeat((byte)0x0b, 20).ToArray());

        Assert.Equal("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", hasher.Hash("Hi There"));
    }

    [Fact]
    public void A_secret_shorter_than_16_bytes_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new KeyHasher(new byte[15]));
    }

    [Fact]
    public void A_hashed_checkpoint_holds_none_of_the_clear_keys_nor_the_secret()
    {
        using var store = new TempStore();
        var location = store.Named();
        using var hasher = new KeyHasher(s_secret);
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.KeyHash = hasher)))
        {
            session.Complete(s_keys[0], output: "saved");
            session.Fail(s_keys[1]);
            session.Complete(s_keys[3]);

            // A run stopped with an item in flight, and one dying with a long key in flight, leave records too.
            Assert.Throws<OperationCanceledException>(() => session.Process(s_keys[2], _ => throw new OperationCanceledException(), new System.Threading.CancellationToken(canceled: true)));
        }

        var bytes = CheckpointFile.ReadBytes(location.FilePath);
        foreach (var key in s_keys.Append(Encoding.UTF8.GetString(s_secret)))
        {
            Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(key)) < 0, $"the file holds '{key[..Math.Min(40, key.Length)]}'");
        }

        Assert.True(IndexOf(bytes, Encoding.UTF8.GetBytes(hasher.Hash(s_keys[0]))) >= 0);
        var header = CheckpointFile.ReadJsonLines(location.FilePath)[0];
        Assert.Equal(JournalFormat.HashedKeysVersion, header.GetProperty("version").GetInt32());
        Assert.Equal(KeyHasher.Algorithm, header.GetProperty("keyHash").GetProperty("alg").GetString());
        Assert.Equal(hasher.Check, header.GetProperty("keyHash").GetProperty("check").GetString());
    }

    [Fact]
    public void A_hashed_checkpoint_resumes_with_the_secret_skipping_what_was_done_and_lists_hashes()
    {
        using var store = new TempStore();
        var location = store.Named();
        using (var first = new KeyHasher(s_secret))
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.KeyHash = first)))
        {
            session.Complete(s_keys[0], output: "saved");
            session.Fail(s_keys[1]);
            session.Complete(s_keys[3]);
            session.Finish();
        }

        // A new hasher from the same secret, as a later process makes it.
        using var hasher = new KeyHasher(s_secret);
        using (var session = CheckpointSession.Start(location, Sessions.Options(o => o.KeyHash = hasher)))
        {
            var done = session.Complete(s_keys[0]);
            Assert.Equal(ItemOutcomeKind.SkippedCompleted, done.Kind);
            Assert.Equal(s_keys[0], done.Key);
            Assert.Equal("saved", session.ReadSavedOutput(s_keys[0]));
            Assert.Equal(ItemOutcomeKind.SkippedFailed, session.Complete(s_keys[1]).Kind);
            Assert.Equal(ItemOutcomeKind.SkippedCompleted, session.Complete(s_keys[3]).Kind);
            var ran = session.Complete(s_keys[2]);
            Assert.Equal(ItemOutcomeKind.Completed, ran.Kind);
            Assert.Equal(s_keys[2], ran.Key);
            session.Finish();
        }

        // The end compaction copied the header as it was: still version 3, with its check value.
        var header = CheckpointFile.ReadJsonLines(location.FilePath)[0];
        Assert.Equal(JournalFormat.HashedKeysVersion, header.GetProperty("version").GetInt32());
        Assert.Equal(hasher.Check, header.GetProperty("keyHash").GetProperty("check").GetString());
        var listed = CheckpointInspector.ReadItems(location).Select(i => i.Key).OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(s_keys.Select(hasher.Hash).OrderBy(k => k, StringComparer.Ordinal), listed);
    }

    [Fact]
    public void Resuming_a_hashed_checkpoint_without_the_secret_is_refused_and_changes_nothing()
    {
        using var store = new TempStore();
        var location = MakeHashed(store);
        var before = CheckpointFile.Sha256(location.FilePath);

        var refused = Assert.Throws<CheckpointKeyHashException>(() => Sessions.RunAll(location, Sessions.Options(), [s_keys[0]]));

        Assert.Contains(location.FilePath, refused.Message, StringComparison.Ordinal);
        Assert.Contains("-KeyHash", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, CheckpointFile.Sha256(location.FilePath));
    }

    [Fact]
    public void Resuming_a_hashed_checkpoint_with_another_secret_is_refused_and_changes_nothing()
    {
        using var store = new TempStore();
        var location = MakeHashed(store);
        var before = CheckpointFile.Sha256(location.FilePath);
        using var other = new KeyHasher(s_otherSecret);

        var refused = Assert.Throws<CheckpointKeyHashException>(() => Sessions.RunAll(location, Sessions.Options(o => o.KeyHash = other), [s_keys[0]]));

        Assert.Contains("not the one", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Encoding.UTF8.GetString(s_otherSecret), refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, CheckpointFile.Sha256(location.FilePath));
    }

    [Fact]
    public void A_hashed_run_against_a_checkpoint_of_clear_keys_is_refused_and_changes_nothing()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"], failed: ["b"]);
        var before = CheckpointFile.Sha256(location.FilePath);
        using var hasher = new KeyHasher(s_secret);

        var refused = Assert.Throws<CheckpointKeyHashException>(() => Sessions.RunAll(location, Sessions.Options(o => o.KeyHash = hasher), ["a"]));

        Assert.Contains("clear text", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, CheckpointFile.Sha256(location.FilePath));
    }

    [Fact]
    public void A_restart_with_a_secret_replaces_a_clear_checkpoint_with_a_hashed_one()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["alice@example.com"]);
        using var hasher = new KeyHasher(s_secret);

        Sessions.RunAll(location, Sessions.Options(o => { o.KeyHash = hasher; o.Restart = true; o.Keep = true; }), ["alice@example.com"]);

        Assert.True(IndexOf(CheckpointFile.ReadBytes(location.FilePath), "alice@example.com"u8.ToArray()) < 0);
    }

    [Fact]
    public void Reset_by_clear_key_hashes_the_key_with_the_secret_and_refuses_without_it()
    {
        using var store = new TempStore();
        var location = MakeHashed(store);
        using var hasher = new KeyHasher(s_secret);
        using var other = new KeyHasher(s_otherSecret);

        Assert.Throws<CheckpointKeyHashException>(() => CheckpointReset.ResetKeys(location, [s_keys[0]]));
        Assert.Throws<CheckpointKeyHashException>(() => CheckpointReset.ResetKeys(location, [s_keys[0]], other));
        Assert.Equal(1, CheckpointReset.ResetKeys(location, [s_keys[0], "unknown@example.com"], hasher));

        Assert.DoesNotContain(hasher.Hash(s_keys[0]), CheckpointInspector.ReadItems(location).Select(i => i.Key));
        using var session = CheckpointSession.Start(location, Sessions.Options(o => o.KeyHash = hasher));
        Assert.Equal(ItemOutcomeKind.Completed, session.Complete(s_keys[0]).Kind);
    }

    [Fact]
    public void Reset_by_key_with_a_secret_is_refused_for_a_checkpoint_of_clear_keys()
    {
        using var store = new TempStore();
        var location = store.Named();
        Sessions.MakeKept(location, ["a"]);
        using var hasher = new KeyHasher(s_secret);

        Assert.Throws<CheckpointKeyHashException>(() => CheckpointReset.ResetKeys(location, ["a"], hasher));
        Assert.Equal(["a"], CheckpointInspector.ReadItems(location).Select(i => i.Key));
    }

    [Fact]
    public void EnsureKeyHash_tells_the_right_secret_from_none_and_a_wrong_one()
    {
        using var store = new TempStore();
        var location = MakeHashed(store);
        using var hasher = new KeyHasher(s_secret);
        using var other = new KeyHasher(s_otherSecret);

        CheckpointInspector.EnsureKeyHash(location, hasher);
        Assert.Throws<CheckpointKeyHashException>(() => CheckpointInspector.EnsureKeyHash(location, null));
        Assert.Throws<CheckpointKeyHashException>(() => CheckpointInspector.EnsureKeyHash(location, other));
    }

    [Fact]
    public void A_secret_from_a_file_loses_one_line_ending_and_matches_the_same_secret_from_a_variable()
    {
        using var store = new TempStore();
        var file = store.PathOf("secret.txt");
        File.WriteAllBytes(file, [.. s_secret, (byte)'\r', (byte)'\n']);
        var variable = "INCPS_TEST_SECRET_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, Encoding.UTF8.GetString(s_secret));
        try
        {
            using var fromFile = KeySecret.FromFile(file);
            using var fromVariable = KeySecret.FromEnvironment(variable);
            Assert.Equal(fromVariable.Check, fromFile.Check);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }
    }

    [Fact]
    public void A_missing_variable_or_file_is_refused_naming_it_and_not_the_secret()
    {
        using var store = new TempStore();
        var missing = "INCPS_TEST_MISSING_" + Guid.NewGuid().ToString("N");

        Assert.Contains(missing, Assert.Throws<ArgumentException>(() => KeySecret.FromEnvironment(missing)).Message, StringComparison.Ordinal);
        Assert.Contains("nope.txt", Assert.Throws<ArgumentException>(() => KeySecret.FromFile(store.PathOf("nope.txt"))).Message, StringComparison.Ordinal);
        File.WriteAllText(store.PathOf("short.txt"), "tooshort");
        var tooShort = Assert.Throws<ArgumentException>(() => KeySecret.FromFile(store.PathOf("short.txt")));
        Assert.DoesNotContain("tooshort", tooShort.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter", tooShort.Message, StringComparison.Ordinal);
    }

    private static CheckpointLocation MakeHashed(TempStore store)
    {
        var location = store.Named();
        using var hasher = new KeyHasher(s_secret);
        using var session = CheckpointSession.Start(location, Sessions.Options(o => { o.KeyHash = hasher; o.Keep = true; }));
        session.Complete(s_keys[0]);
        session.Fail(s_keys[1]);
        session.Finish();
        return location;
    }

    private static int IndexOf(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle);
}
