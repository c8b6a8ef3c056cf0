using System;
using System.Globalization;

namespace IncrementalPS.Core.TestHost;

/// <summary>
/// Holds a checkpoint for the lock and status tests: completes held-0000 … held-(n-1), then keeps held-inflight in
/// flight until a line (or end of input) arrives on stdin, and finishes keeping the checkpoint.
/// </summary>
internal static class HoldCommand
{
    public const string InFlightKey = "held-inflight";

    public static int Execute(string checkpointPath, int completedCount)
    {
        var options = new RunOptions { Writer = "IncrementalPS.Core.TestHost", Keep = true };
        using var session = CheckpointSession.Start(CheckpointLocation.FromPath(checkpointPath), options);
        Console.Out.WriteLine($"ready {Environment.ProcessId}");
        Console.Out.Flush();

        for (var i = 0; i < completedCount; i++)
        {
            session.Process("held-" + i.ToString("D4", CultureInfo.InvariantCulture), _ => null);
        }

        session.Process(InFlightKey, _ =>
        {
            Console.Out.WriteLine("holding");
            Console.Out.Flush();
            Console.In.ReadLine();
            return null;
        });

        var summary = session.Finish();
        Console.Out.WriteLine($"finished {summary.State}");
        return 0;
    }
}
