using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// --json is UTF-8 whatever the console's encoding: on Windows Console.Out writes the OEM code page, here simulated by
/// a Latin-1 locale, which .NET on Unix also follows for Console.Out.
/// </summary>
public sealed class JsonEncodingTests
{
    [PosixFact]
    public void Items_json_is_utf8_even_when_the_console_encoding_is_not()
    {
        using var job = new Job();
        job.Incps("caf\u00e9\n\u65e5\u672c\n", Job.RunArgs(job.Name, ["--keep"], job.MarkCommand()));
        var latin1 = new Dictionary<string, string> { ["LANG"] = "en_US.ISO-8859-1", ["LC_ALL"] = "en_US.ISO-8859-1" };

        using var process = IncpsProcess.Start(job.Directory, job.Store, ["items", job.Name, "--json"], environment: latin1);
        process.Input.Close();
        var result = process.WaitForResult(IncpsProcess.DefaultTimeout);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var document = JsonDocument.Parse(result.Stdout);
        var keys = document.RootElement.EnumerateArray().Select(e => e.GetProperty("key").GetString()).OrderBy(k => k, StringComparer.Ordinal);
        Assert.Equal(["caf\u00e9", "\u65e5\u672c"], keys);
    }
}
