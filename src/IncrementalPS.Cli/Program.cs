namespace IncrementalPS.Cli;

/// <summary>The incps entry point.</summary>
internal static class Program
{
    private static int Main(string[] args) => IncpsCommandLine.Run(args);
}
