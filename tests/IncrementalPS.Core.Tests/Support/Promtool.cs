using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace IncrementalPS.Core.Tests.Support;

/// <summary>
/// Prometheus's own checker, <c>promtool check metrics</c>: the format rules and the naming lints that Prometheus itself
/// applies, rather than our reading of them. Without promtool the test fails and says how to get it: the format is
/// never "checked" by a parser of our own.
/// </summary>
internal static class Promtool
{
    private const string HowToInstall =
        "promtool (Prometheus's checker) is not on PATH, so the metrics format cannot be checked. Install it: Debian/Ubuntu " +
        "'apt-get install -y prometheus' (.ci/run does so when it runs as root), or put the promtool binary of a Prometheus " +
        "release (https://prometheus.io/download/) on PATH.";

    /// <summary>Checks <paramref name="text"/>; returns what promtool said, empty when it found nothing wrong.</summary>
    /// <exception cref="InvalidOperationException">promtool is not installed.</exception>
    public static string Check(string text)
    {
        var info = new ProcessStartInfo("promtool")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardInputEncoding = new UTF8Encoding(false),
        };
        info.ArgumentList.Add("check");
        info.ArgumentList.Add("metrics");

        Process process;
        try
        {
            process = Process.Start(info) ?? throw new InvalidOperationException(HowToInstall);
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException(HowToInstall, ex);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.StandardInput.Write(text);
            process.StandardInput.Close();
            process.WaitForExit();
            var said = (stdout.Result + stderr.Result).Trim();
            return process.ExitCode == 0 && said.Length == 0 ? string.Empty : $"promtool exited {process.ExitCode}: {said}";
        }
    }

    /// <summary>Checks the file at <paramref name="path"/> as the textfile collector would read it.</summary>
    public static string CheckFile(string path) => Check(File.ReadAllText(path, Encoding.UTF8));
}
