using System;

namespace IncrementalPS.Cli;

/// <summary>
/// Messages for people, on standard error, prefixed "incps: " so that they stand out from the command's own output.
/// Standard output carries only data: the command's output, status tables and JSON.
/// </summary>
internal static class CliConsole
{
    private static readonly object s_lock = new();
    private static Action<string>? s_redirect;

    /// <summary>Writes "incps: {message}" to standard error.</summary>
    public static void Message(string message) => WriteLine("incps: " + message);

    /// <summary>Writes "incps: warning: {message}" to standard error.</summary>
    public static void Warning(string message) => WriteLine("incps: warning: " + message);

    /// <summary>Writes "incps: error: {message}" to standard error.</summary>
    public static void Error(string message) => WriteLine("incps: error: " + message);

    /// <summary>Writes a line to standard error as it is (used to pass a child's standard error through).</summary>
    public static void WriteLine(string line)
    {
        lock (s_lock)
        {
            if (s_redirect is { } redirect)
            {
                redirect(line);
            }
            else
            {
                Console.Error.WriteLine(line);
            }
        }
    }

    /// <summary>
    /// Sends every line through <paramref name="writer"/> until the returned scope ends: a live progress bar must draw
    /// the lines itself, above the bar, or they would tear it.
    /// </summary>
    public static IDisposable RedirectTo(Action<string> writer)
    {
        lock (s_lock)
        {
            s_redirect = writer;
        }

        return new RedirectScope();
    }

    private sealed class RedirectScope : IDisposable
    {
        public void Dispose()
        {
            lock (s_lock)
            {
                s_redirect = null;
            }
        }
    }
}
