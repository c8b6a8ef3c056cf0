using Xunit;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>
/// Tests that change environment variables (process-wide) belong here: the collection never runs in parallel with
/// any other test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentTests
{
    public const string Name = "Process environment";
}
