using IncrementalPS.Core;
using Xunit;

namespace IncrementalPS.Core.Tests.Platform;

/// <summary>
/// The raw Win32 calls (MoveFileExW, the security calls) get the \\?\ prefix on long paths, as .NET's own calls do:
/// without it a checkpoint at 260 characters or more could no longer be rewritten.
/// </summary>
public sealed class WindowsFileMoveTests
{
    [Fact]
    public void A_short_path_is_left_as_it_is()
        => Assert.Equal(@"C:\data\job.checkpoint.jsonl", WindowsFileMove.WithLongPathPrefix(@"C:\data\job.checkpoint.jsonl"));

    [Fact]
    public void A_long_drive_path_gets_the_extended_prefix()
    {
        var path = @"C:\" + new string('d', 300) + @"\job.checkpoint.jsonl";

        Assert.Equal(@"\\?\" + path, WindowsFileMove.WithLongPathPrefix(path));
    }

    [Fact]
    public void A_long_share_path_gets_the_extended_unc_prefix()
    {
        var tail = new string('d', 300) + @"\job.checkpoint.jsonl";

        Assert.Equal(@"\\?\UNC\server\share\" + tail, WindowsFileMove.WithLongPathPrefix(@"\\server\share\" + tail));
    }

    [Fact]
    public void A_path_with_the_prefix_already_is_left_as_it_is()
    {
        var path = @"\\?\C:\" + new string('d', 300);

        Assert.Equal(path, WindowsFileMove.WithLongPathPrefix(path));
    }
}
