using System;
using System.IO;
using System.Linq;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Xunit;

namespace IncrementalPS.Cli.Tests;

/// <summary>
/// The status page in a real browser (headless Chromium), open while an incps run in another process goes on: the
/// test feeds the run its items one at a time and waits, by polling, for the page to show each step.
/// </summary>
public sealed class StatusPageBrowserTests
{
    // Markup in a key: shown as text, never run (the page's title would change if it ran).
    private const string HostileKey = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned'</script>";
    private const string Title = "IncrementalPS status";
    private static readonly TimeSpan s_patience = TimeSpan.FromSeconds(90);

    [PosixFact]
    public void The_page_follows_a_live_run_shows_its_failed_item_and_then_completed()
    {
        using var browser = HeadlessChromium.Start();
        using var job = new Job("nightly");
        var fixedFile = Path.Combine(job.Directory, "fixed");
        // Records each item in the marker; the hostile key fails until the "fixed" file exists.
        var command = new[]
        {
            "/bin/sh", "-c", "echo \"$1\" >> \"$2\"; case \"$1\" in *script*) [ -e \"$3\" ] || { echo 'cannot <b>handle</b> it' >&2; exit 3; };; esac",
            "sh", "{}", job.Marker, fixedFile,
        };
        var items = new[] { "item-1", "item-2", HostileKey, "item-4", "item-5" };
        var options = new[] { "--keep", "--total", "5" };
        using var run = job.Start(Job.RunArgs(job.Name, options, command));
        Feed(run, job, items[0]);
        using var serve = ServeProcess.Start(job);

        browser.Navigate().GoToUrl(serve.Url);
        var wait = new WebDriverWait(browser, s_patience) { PollingInterval = TimeSpan.FromMilliseconds(200) };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        IWebElement Card() => browser.FindElement(By.CssSelector("[data-checkpoint='nightly']"));
        string Text(string selector) => Card().FindElement(By.CssSelector(selector)).Text;
        int BarWidth() => Card().FindElement(By.CssSelector(".fill")).Size.Width;

        wait.Until(_ => Text(".state") == "Running" && Text(".done").StartsWith("1 / 5", StringComparison.Ordinal));
        wait.Until(_ => Text(".owner").Contains($"pid {run.Id}", StringComparison.Ordinal));
        wait.Until(_ => BarWidth() > 0);
        var before = BarWidth();

        Feed(run, job, items[1]);
        wait.Until(_ => Text(".done").StartsWith("2 / 5", StringComparison.Ordinal) && BarWidth() > before);

        Feed(run, job, items[2]);
        wait.Until(_ => Card().FindElements(By.CssSelector(".failed-item .key")).Any(k => k.Text == HostileKey));
        Assert.Contains("cannot <b>handle</b> it", Text(".failed-item .error"), StringComparison.Ordinal);
        Assert.Equal("1", Text(".failed"));
        // The rate chart has drawn a line from the server's samples.
        wait.Until(_ => !string.IsNullOrEmpty(Card().FindElement(By.CssSelector("svg.chart polyline")).GetAttribute("points")));

        Feed(run, job, items[3]);
        Feed(run, job, items[4]);
        run.Input.Close();
        var first = run.WaitForResult(IncpsProcess.DefaultTimeout);
        Assert.True(first.ExitCode == 1, first.ToString());
        wait.Until(_ => Text(".state") == "Failed");

        File.WriteAllText(fixedFile, string.Empty);
        var retry = job.Incps(Job.Lines(items), Job.RunArgs(job.Name, options.Append("--retry-failed").ToArray(), command));
        Assert.True(retry.ExitCode == 0, retry.ToString());
        wait.Until(_ => Text(".state") == "Completed" && Text(".done").StartsWith("5 / 5", StringComparison.Ordinal));
        wait.Until(_ => Card().FindElements(By.CssSelector(".failed-item")).Count == 0);
        wait.Until(_ => BarWidth() >= Card().FindElement(By.CssSelector(".bar")).Size.Width - 1);
        Assert.Equal(Title, browser.Title);
    }

    /// <summary>Gives the run one more item and waits until its command has run.</summary>
    private static void Feed(IncpsProcess run, Job job, string item)
    {
        var count = job.Executions().Count;
        run.Input.Write(item + "\n");
        run.Input.Flush();
        if (!run.WaitUntil(() => job.Executions().Count > count, IncpsProcess.DefaultTimeout))
        {
            throw new InvalidOperationException($"incps did not run '{item}':\n{run.Stderr}");
        }
    }
}
