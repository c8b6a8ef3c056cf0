using FsCheck;
using FsCheck.Fluent;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>How the property tests run FsCheck: a fixed number of cases, failing the xunit test on a counter-example.</summary>
internal static class Properties
{
    public static Config Config(int cases) => FsCheck.Config.QuickThrowOnFailure.WithMaxTest(cases).WithQuietOnSuccess(true);
}
