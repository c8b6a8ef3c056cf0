using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>
/// The IncrementalPS.Core.TestHost program run as a separate process, which the tests can kill (SIGKILL) at any moment.
/// </summary>
internal sealed class TestHostProcess : IDisposable
{
    private const string AssemblyName = "IncrementalPS.Core.TestHost";
    private static readonly Lazy<string> s_hostPath = new(FindHost);

    private readonly Process _process;
    private readonly BlockingCollection<string> _lines = new();
    private readonly StringBuilder _stderr = new();

    private TestHostProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the host wrote to stderr so far (for assertion messages).</summary>
    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static TestHostProcess Start(params string[] arguments)
    {
        var info = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(s_hostPath.Value);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info };
        var host = new TestHostProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                host._lines.CompleteAdding();
            }
            else
            {
                host._lines.Add(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (host._stderr)
            {
                host._stderr.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits for a stdout line starting with <paramref name="prefix"/>; returns it, or throws on timeout or exit.</summary>
    public string WaitForLine(string prefix, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            foreach (var line in _lines.GetConsumingEnumerable(cancel.Token))
            {
                if (line.StartsWith(prefix, StringComparison.Ordinal))
                {
                    return line;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The test host wrote no line starting with '{prefix}' within {timeout}. stderr: {StandardError}");
        }

        _process.WaitForExit();
        throw new InvalidOperationException(
            $"The test host exited (code {_process.ExitCode}) before writing a line starting with '{prefix}'. stderr: {StandardError}");
    }

    /// <summary>Sends a line to the host's stdin (the hold command then finishes its in-flight item).</summary>
    public void SendLine(string line)
    {
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>Kills the process (SIGKILL on POSIX) and waits until it is gone. True when it was still running.</summary>
    public bool Kill()
    {
        var wasRunning = !_process.HasExited;
        if (wasRunning)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.WaitForExit();
        return wasRunning && _process.ExitCode != 0;
    }

    /// <summary>Waits for a normal exit and returns the exit code; kills the host and throws on timeout.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"The test host did not exit within {timeout}. stderr: {StandardError}");
        }

        _process.WaitForExit();
        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit();
        }

        _process.Dispose();
        _lines.Dispose();
    }

    /// <summary>The dotnet host that runs the tests (set by the SDK for child processes), else dotnet on the PATH.</summary>
    private static string DotnetHost()
    {
        var fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        return !string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk) ? fromSdk : "dotnet";
    }

    /// <summary>
    /// The test host is built beside this project (a ProjectReference without its assembly), into its own bin folder
    /// with the same configuration and framework: map tests/IncrementalPS.Core.Tests/&lt;out&gt; to
    /// tests/IncrementalPS.Core.TestHost/&lt;out&gt;.
    /// </summary>
    private static string FindHost()
    {
        var baseDirectory = Path.GetFullPath(AppContext.BaseDirectory);
        for (var dir = new DirectoryInfo(baseDirectory); dir?.Parent is not null; dir = dir.Parent)
        {
            if (dir.Name != "IncrementalPS.Core.Tests")
            {
                continue;
            }

            var hostProject = Path.Combine(dir.Parent.FullName, AssemblyName);
            if (!Directory.Exists(hostProject))
            {
                continue;
            }

            var outputPart = Path.GetRelativePath(dir.FullName, baseDirectory);
            var candidate = Path.Combine(hostProject, outputPart, AssemblyName + ".dll");
            if (File.Exists(candidate))
            {
                return candidate;
            }

            throw new FileNotFoundException(
                $"The test host was not built at '{candidate}'. Build tests/{AssemblyName} (dotnet test builds it as a project reference).",
                candidate);
        }

        throw new DirectoryNotFoundException(
            $"Cannot find the {AssemblyName} project from the test output directory '{baseDirectory}'.");
    }
}
