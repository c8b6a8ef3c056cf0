using System;
using System.IO;
using System.Linq;
using OpenQA.Selenium.Chrome;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// Debian's Chromium, headless, driven through its own chromedriver (never one Selenium Manager would download). Without
/// them the test fails and says how to install them: a browser test that skips itself would prove nothing.
/// </summary>
internal static class HeadlessChromium
{
    private const string HowToInstall =
        "the status page's browser test needs Chromium and its chromedriver on PATH. Debian/Ubuntu: " +
        "'apt-get install -y chromium chromium-driver' (.ci/run does so when it runs as root).";

    /// <summary>A new headless browser; dispose it to end it.</summary>
    /// <exception cref="InvalidOperationException">Chromium or chromedriver is not installed.</exception>
    public static ChromeDriver Start()
    {
        var browser = Find("chromium", "chromium-browser", "google-chrome");
        var driver = Find("chromedriver");
        if (browser is null || driver is null)
        {
            throw new InvalidOperationException(HowToInstall + $" Found: browser {browser ?? "none"}, chromedriver {driver ?? "none"}.");
        }

        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(driver)!, Path.GetFileName(driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = browser };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,1000");
        // The machine is loaded: give the browser's start and every command time.
        return new ChromeDriver(service, options, TimeSpan.FromMinutes(2));
    }

    private static string? Find(params string[] names)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? string.Empty;
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .SelectMany(directory => names.Select(name => Path.Combine(directory, name)))
            .FirstOrDefault(File.Exists);
    }
}
