using System;
using System.Globalization;

namespace IncrementalPS.Core.TestHost;

/// <summary>
/// Drives the engine in a process of its own so that the crash and lock tests can kill it (SIGKILL) at any moment.
/// </summary>
/// <remarks>
/// Usage:
///   run &lt;checkpoint&gt; &lt;count&gt; &lt;side-effect-log&gt; &lt;sleep-ms&gt; &lt;Normal|Full&gt; [--keep] [--poison-key K]
///       [--poison-threshold N] [--die-at-seen N]
///       [--max-attempts N] [--retry-delay-ms N] [--fail-attempts-in-run N] [--die-at-close-flush]
///   hold &lt;checkpoint&gt; &lt;completed-count&gt;
/// Lines on stdout: "ready &lt;pid&gt;" once the session holds the checkpoint, "retrying &lt;key&gt;" before a retry's wait, "holding" (hold mode, while an item is in
/// flight), "finished &lt;state&gt;" at the end. Exit code 0 on success, 2 on bad arguments.
/// </remarks>
internal static class Program
{
    private static int Main(string[] args)
    {
        if (args.Length == 0)
        {
            return Usage("no command");
        }

        try
        {
            return args[0] switch
            {
                "run" => RunCommand.Execute(RunArguments.Parse(args)),
                "hold" when args.Length == 3 => HoldCommand.Execute(args[1], int.Parse(args[2], CultureInfo.InvariantCulture)),
                _ => Usage($"unknown command or arguments: {string.Join(' ', args)}"),
            };
        }
        catch (FormatException ex)
        {
            return Usage(ex.Message);
        }
    }

    private static int Usage(string problem)
    {
        Console.Error.WriteLine($"IncrementalPS.Core.TestHost: {problem}");
        Console.Error.WriteLine("usage: run <checkpoint> <count> <log> <sleep-ms> <Normal|Full> [--keep] [--poison-key K] [--poison-threshold N] [--die-at-seen N] [--max-attempts N] [--retry-delay-ms N] [--fail-attempts-in-run N] [--die-at-close-flush]");
        Console.Error.WriteLine("       hold <checkpoint> <completed-count>");
        return 2;
    }
}
