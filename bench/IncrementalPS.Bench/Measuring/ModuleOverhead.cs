using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using IncrementalPS.Commands;

namespace IncrementalPS.Bench.Measuring;

/// <summary>
/// What Invoke-Incremental adds to a pipeline, against ForEach-Object: PowerShell 7 hosted in this process
/// (Microsoft.PowerShell.SDK), the module's cmdlets imported from their assembly, the same string items piped into
/// an empty script block by each pipeline in turn, after a warm-up of each; the median of the repetitions, of the wall
/// time and of the process's CPU time (which other processes on a busy machine disturb less).
/// </summary>
internal static class ModuleOverhead
{
    /// <summary>The pipelines, as they are typed; $strings holds the items and $n numbers the checkpoint.</summary>
    public static readonly IReadOnlyList<(string Label, string Script)> Pipelines =
    [
        ("$strings | ForEach-Object {}", "$strings | ForEach-Object {}"),
        ("$strings | Invoke-Incremental x {}", "$strings | Invoke-Incremental \"x$n\" {}"),
        ("$strings | Invoke-Incremental x -Key { $_ } {}", "$strings | Invoke-Incremental \"x$n\" -Key { $_ } {}"),
    ];

    /// <summary>
    /// Runs of each pipeline measured: with three, one slow spell of this shared machine moved the median by a third.
    /// </summary>
    public const int Repetitions = 9;

    private const int WarmupRounds = 3;

    public static ModuleResult Run(int items, int repetitions, string storeDirectory)
    {
        Directory.CreateDirectory(storeDirectory);
        var previousHome = Environment.GetEnvironmentVariable("INCREMENTALPS_HOME");
        Environment.SetEnvironmentVariable("INCREMENTALPS_HOME", storeDirectory);
        try
        {
            var state = InitialSessionState.CreateDefault2();
            state.ImportPSModule(typeof(InvokeIncrementalCommand).Assembly.Location);
            using var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            var strings = Enumerable.Range(0, items).Select(i => "item-" + i.ToString("D7", System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var counter = 0;
            (double Wall, double Cpu) Time(string script, string[] input)
            {
                runspace.SessionStateProxy.SetVariable("strings", input);
                runspace.SessionStateProxy.SetVariable("n", ++counter);
                using var shell = PowerShell.Create();
                shell.Runspace = runspace;
                shell.AddScript(script);
                using var process = Process.GetCurrentProcess();
                var cpuBefore = process.TotalProcessorTime;
                var clock = Stopwatch.StartNew();
                shell.Invoke();
                clock.Stop();
                process.Refresh();
                var cpu = process.TotalProcessorTime - cpuBefore;
                if (shell.HadErrors)
                {
                    throw new InvalidOperationException($"'{script}' wrote errors: {string.Join("; ", shell.Streams.Error)}");
                }

                return (clock.Elapsed.TotalMilliseconds * 1000 / input.Length, cpu.TotalMilliseconds * 1000 / input.Length);
            }

            // Warm-up over the whole input: the first runs of each pipeline load and compile code (PowerShell's and
            // .NET's), and with 5,000 items each the first measured run was still several times slower than the rest.
            for (var round = 0; round < WarmupRounds; round++)
            {
                foreach (var (_, script) in Pipelines)
                {
                    Time(script, strings);
                }
            }

            // Interleaved, so that a slow spell on a shared machine hits every pipeline alike, and in turns that start
            // one pipeline later each repetition: the one run right after ForEach-Object ran slower (the heap it leaves),
            // which in a fixed order always fell on the default key.
            var samples = Pipelines.Select(_ => new List<(double Wall, double Cpu)>()).ToList();
            for (var repetition = 0; repetition < repetitions; repetition++)
            {
                for (var turn = 0; turn < Pipelines.Count; turn++)
                {
                    var p = (turn + repetition) % Pipelines.Count;
                    samples[p].Add(Time(Pipelines[p].Script, strings));
                }
            }

            var medians = samples.Select(s => s.Select(x => x.Wall).Order().ElementAt(s.Count / 2)).ToList();
            var cpuMedians = samples.Select(s => s.Select(x => x.Cpu).Order().ElementAt(s.Count / 2)).ToList();
            return new ModuleResult
            {
                Items = items,
                Repetitions = repetitions,
                PowerShellVersion = runspace.Version.ToString(),
                ForEachObjectUs = medians[0],
                DefaultKeyUs = medians[1],
                ScriptKeyUs = medians[2],
                ForEachObjectCpuUs = cpuMedians[0],
                DefaultKeyCpuUs = cpuMedians[1],
                ScriptKeyCpuUs = cpuMedians[2],
            };
        }
        finally
        {
            Environment.SetEnvironmentVariable("INCREMENTALPS_HOME", previousHome);
            Directory.Delete(storeDirectory, recursive: true);
        }
    }
}
