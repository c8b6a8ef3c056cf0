using System;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// The Job Object that kills incps's commands with it only runs on Windows; what can be checked elsewhere is that the
/// structure passed to SetInformationJobObject has the documented size (a wrong one fails with ERROR_BAD_LENGTH), and
/// that nothing happens off Windows.
/// </summary>
public sealed class WindowsJobObjectTests
{
    [Fact]
    public void The_extended_limit_structure_has_the_size_Windows_expects()
        => Assert.Equal(Environment.Is64BitProcess ? 144 : 112, WindowsJobObject.ExtendedLimitInformationSize);

    [PosixFact]
    public void Off_Windows_there_is_no_job_and_no_complaint()
        => Assert.Null(WindowsJobObject.KillChildrenWithThisProcess());
}
