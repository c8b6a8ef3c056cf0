using System;
using System.IO;
using System.Runtime.Versioning;
using Xunit;

namespace IncrementalPS.Cli.Tests;

public sealed class ExecutableResolverTests
{
    [PosixFact]
    public void A_bare_name_is_found_on_PATH()
    {
        var resolved = ExecutableResolver.Resolve("sh", out var problem);

        Assert.Null(problem);
        Assert.NotNull(resolved);
        Assert.True(Path.IsPathRooted(resolved));
        Assert.Equal("sh", Path.GetFileName(resolved));
    }

    [Fact]
    public void A_missing_program_is_reported_not_resolved()
    {
        var resolved = ExecutableResolver.Resolve("incps-no-such-program-" + Guid.NewGuid().ToString("N"), out var problem);

        Assert.Null(resolved);
        Assert.Contains("not found in any directory of PATH", problem, StringComparison.Ordinal);
    }

    [PosixFact]
    [UnsupportedOSPlatform("windows")]
    public void A_file_without_execute_permission_is_refused()
    {
        using var temp = new TempDirectory();
        var script = temp.Combine("script.sh");
        File.WriteAllText(script, "#!/bin/sh\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var resolved = ExecutableResolver.Resolve(script, out var problem);

        Assert.Null(resolved);
        Assert.Contains("not executable", problem, StringComparison.Ordinal);
    }
}
