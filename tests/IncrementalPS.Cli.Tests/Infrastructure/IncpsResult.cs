namespace IncrementalPS.Cli.Tests;

/// <summary>How a finished incps process ended.</summary>
internal sealed record IncpsResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit code {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
