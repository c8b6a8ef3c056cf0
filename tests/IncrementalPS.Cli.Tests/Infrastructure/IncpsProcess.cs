using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// The built incps (incps.dll beside the tests, from the project reference) run as a real process, with its store
/// in a test directory, standard input fed by the test, and standard output and error captured.
/// </summary>
internal sealed class IncpsProcess : IDisposable
{
    /// <summary>How long a test waits for incps to end before failing; generous for a loaded CI box.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private IncpsProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public StreamWriter Input => _process.StandardInput;

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Runs incps to the end with <paramref name="input"/> as standard input (closed after it).</summary>
    public static IncpsResult Run(string workingDirectory, string store, IEnumerable<string> args, string input = "")
    {
        using var process = Start(workingDirectory, store, args);
        process.Input.Write(input);
        process.Input.Close();
        return process.WaitForResult(DefaultTimeout);
    }

    /// <summary>
    /// Runs incps to the end under a file size limit (ulimit -f, in KiB): a write past it fails with EFBIG, the way a
    /// full disk fails a write, without a file system to fill. POSIX only.
    /// </summary>
    public static IncpsResult RunWithFileSizeLimit(string workingDirectory, string store, IEnumerable<string> args, string input, int limitKib)
    {
        using var process = Start(workingDirectory, store, args, limitKib);
        process.Input.Write(input);
        process.Input.Close();
        return process.WaitForResult(DefaultTimeout);
    }

    /// <summary>Starts incps; the caller writes to <see cref="Input"/> and closes it (or not) as the test needs.</summary>
    public static IncpsProcess Start(string workingDirectory, string store, IEnumerable<string> args, int? fileSizeLimitKib = null, IReadOnlyDictionary<string, string>? environment = null)
    {
        var startInfo = new ProcessStartInfo(fileSizeLimitKib is null ? DotnetHost() : "/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        if (fileSizeLimitKib is int limit)
        {
            // SIGXFSZ ignored (inherited through exec) turns the limit into a failing write; ulimit -f counts 512-byte
            // blocks. The runtime's W^X double mapping needs a file larger than the limit: off for this process.
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add($"trap '' XFSZ; ulimit -f {limit * 2}; exec \"$0\" \"$@\"");
            startInfo.ArgumentList.Add(DotnetHost());
            startInfo.Environment["DOTNET_EnableWriteXorExecute"] = "0";
        }

        startInfo.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "incps.dll"));
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        startInfo.Environment["INCREMENTALPS_HOME"] = store;
        startInfo.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            startInfo.Environment[name] = value;
        }

        var process = new Process { StartInfo = startInfo };
        var handle = new IncpsProcess(process);
        process.OutputDataReceived += (_, e) => Append(handle._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => Append(handle._stderr, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return handle;
    }

    /// <summary>Waits for the end; fails the test (after killing incps) when it takes longer than <paramref name="timeout"/>.</summary>
    public IncpsResult WaitForResult(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"incps did not exit within {timeout}.\n--- stderr so far ---\n{Stderr}");
        }

        // The parameterless wait drains the redirected streams.
        _process.WaitForExit();
        lock (_stdout)
        {
            return new IncpsResult(_process.ExitCode, _stdout.ToString(), Stderr);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or the process exits, or the timeout passes.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }

            if (_process.HasExited)
            {
                return condition();
            }

            Thread.Sleep(10);
        }

        return false;
    }

    /// <summary>SIGKILL, as a crash or the OOM killer would: no chance to flush or clean up.</summary>
    public void KillHard()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private static void Append(StringBuilder buffer, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (buffer)
        {
            buffer.Append(line).Append('\n');
        }
    }

    private static string DotnetHost()
    {
        // The SDK tells child processes which host runs it; otherwise the test host itself may be dotnet.
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(host) && File.Exists(host))
        {
            return host;
        }

        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return "dotnet";
    }
}
