using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.Json;

namespace IncrementalPS.Bench.Harness;

/// <summary>Runs one measurement in a fresh copy of this program and reads the result it prints.</summary>
internal static class ChildProcess
{
    /// <summary>The prefix of the line a child prints its result on; everything else it prints is passed through.</summary>
    public const string ResultPrefix = "RESULT ";

    public static T Run<T>(IEnumerable<string> arguments, bool asIncpsRuns = false)
    {
        var startInfo = StartInfo(arguments);
        if (asIncpsRuns)
        {
            // The module's measurement keeps the runtime's defaults, as PowerShell runs with them.
            AsIncps(startInfo);
        }

        using var process = new Process { StartInfo = startInfo };
        process.Start();
        var stderr = process.StandardError.ReadToEndAsync();
        string? result = null;
        while (process.StandardOutput.ReadLine() is { } line)
        {
            if (line.StartsWith(ResultPrefix, StringComparison.Ordinal))
            {
                result = line.Substring(ResultPrefix.Length);
            }
            else
            {
                Console.WriteLine(line);
            }
        }

        process.WaitForExit();
        var errors = stderr.GetAwaiter().GetResult();
        if (process.ExitCode != 0 || result is null)
        {
            throw new InvalidOperationException(
                $"The measurement '{string.Join(' ', process.StartInfo.ArgumentList)}' failed (exit code {process.ExitCode}):{Environment.NewLine}{errors}");
        }

        if (errors.Length > 0)
        {
            Console.Error.Write(errors);
        }

        return JsonSerializer.Deserialize<T>(result)
            ?? throw new InvalidOperationException($"The measurement printed an empty result: {result}");
    }

    /// <summary>
    /// Runs this program again with <paramref name="arguments"/> and incps's runtime settings, its output passed
    /// through, and answers its exit code; null when this process has those settings already.
    /// </summary>
    public static int? RelaunchAsIncps(IEnumerable<string> arguments)
    {
        if (Environment.GetEnvironmentVariable(TieredPgo) == "0")
        {
            return null;
        }

        var startInfo = StartInfo(arguments);
        startInfo.RedirectStandardOutput = false;
        startInfo.RedirectStandardError = false;
        AsIncps(startInfo);
        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException("The measurement did not start.");
        process.WaitForExit();
        return process.ExitCode;
    }

    private const string TieredPgo = "DOTNET_TieredPGO";

    // incps's runtime settings (src/IncrementalPS.Cli/IncrementalPS.Cli.csproj): no dynamic PGO.
    private static void AsIncps(ProcessStartInfo startInfo) => startInfo.Environment[TieredPgo] = "0";

    /// <summary>The line a child prints its result on.</summary>
    public static string FormatResult<T>(T result) => ResultPrefix + JsonSerializer.Serialize(result);

    private static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("Cannot tell which program is running.");
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // Started as `dotnet IncrementalPS.Bench.dll`: the host needs the assembly again.
        if (Path.GetFileNameWithoutExtension(host).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            info.ArgumentList.Add(Assembly.GetExecutingAssembly().Location);
        }

        foreach (var argument in arguments.ToList())
        {
            info.ArgumentList.Add(argument);
        }

        return info;
    }
}
