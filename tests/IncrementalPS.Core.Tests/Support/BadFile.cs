using System;
using System.Collections.Generic;
using System.IO;
using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>Checks that every entry point refuses a damaged checkpoint the same clear way and never writes to it.</summary>
internal static class BadFile
{
    /// <summary>
    /// Opens the file through CheckpointSession.Start, CheckpointInspector.ReadStatus and ReadItems, and
    /// CheckpointReset.ResetFailed and ResetKeys; asserts each throws a CheckpointException naming the file and that the
    /// file's bytes are unchanged after each. Returns the errors for further checks.
    /// </summary>
    public static IReadOnlyList<CheckpointException> AssertRefusedEverywhereAndUnchanged(CheckpointLocation location)
    {
        var hash = CheckpointFile.Sha256(location.FilePath);
        var attempts = new (string Entry, Action Call)[]
        {
            ("CheckpointSession.Start", () => CheckpointSession.Start(location, Sessions.Options()).Dispose()),
            ("CheckpointInspector.ReadStatus", () => CheckpointInspector.ReadStatus(location)),
            ("CheckpointInspector.ReadItems", () => CheckpointInspector.ReadItems(location)),
            ("CheckpointReset.ResetFailed", () => CheckpointReset.ResetFailed(location)),
            ("CheckpointReset.ResetKeys", () => CheckpointReset.ResetKeys(location, ["a"])),
        };

        var errors = new List<CheckpointException>();
        foreach (var (entry, call) in attempts)
        {
            var thrown = Record.Exception(call);
            Assert.True(thrown is not null, $"{entry} accepted the file");
            var error = Assert.IsAssignableFrom<CheckpointException>(thrown);
            Assert.Equal(location.FilePath, error.FilePath);
            Assert.Contains(location.FilePath, error.Message, StringComparison.Ordinal);
            Assert.True(File.Exists(location.FilePath), $"{entry} deleted the file");
            Assert.True(hash == CheckpointFile.Sha256(location.FilePath), $"{entry} changed the file");
            errors.Add(error);
        }

        return errors;
    }
}
