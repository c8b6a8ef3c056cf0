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

    [Fact]
    public void On_Windows_PATHEXT_extensions_come_first_and_an_extensionless_shim_is_never_a_program()
    {
        var candidates = ExecutableResolver.Candidates(@"C:\npm\foo", windows: true, pathExt: ".COM;.EXE;.BAT;.CMD");

        Assert.Equal([@"C:\npm\foo.COM", @"C:\npm\foo.EXE", @"C:\npm\foo.BAT", @"C:\npm\foo.CMD"], candidates);
    }

    [Fact]
    public void On_Windows_a_name_with_a_program_extension_is_taken_as_it_is()
    {
        Assert.Equal([@"C:\npm\foo.cmd"], ExecutableResolver.Candidates(@"C:\npm\foo.cmd", windows: true, pathExt: ".COM;.EXE;.BAT;.CMD"));
        Assert.Equal(
            [@"C:\py\python3.11.EXE", @"C:\py\python3.11"],
            ExecutableResolver.Candidates(@"C:\py\python3.11", windows: true, pathExt: ".EXE"));
    }

    [Fact]
    public void On_Windows_only_extensions_a_process_can_be_started_from_are_tried()
    {
        // PATHEXT often lists script types that need their host (.vbs, .js, .py): foo.py would fail every item.
        var candidates = ExecutableResolver.Candidates(@"C:\tools\foo", windows: true, pathExt: ".COM;.EXE;.BAT;.CMD;.VBS;.JS;.PY");

        Assert.Equal([@"C:\tools\foo.COM", @"C:\tools\foo.EXE", @"C:\tools\foo.BAT", @"C:\tools\foo.CMD"], candidates);
    }

    [Fact]
    public void Elsewhere_the_name_is_the_only_candidate()
        => Assert.Equal(["/usr/bin/foo"], ExecutableResolver.Candidates("/usr/bin/foo", windows: false, pathExt: ".EXE"));
}
