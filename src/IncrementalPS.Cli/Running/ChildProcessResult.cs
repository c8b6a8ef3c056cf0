namespace IncrementalPS.Cli;

/// <summary>How one run of the command ended.</summary>
internal sealed class ChildProcessResult
{
    /// <summary>Creates the result.</summary>
    public ChildProcessResult(int exitCode, string stderrTail)
    {
        ExitCode = exitCode;
        StderrTail = stderrTail;
    }

    /// <summary>The command's exit code (128 + the signal number when a signal ended it).</summary>
    public int ExitCode { get; }

    /// <summary>The last few kilobytes of the command's standard error.</summary>
    public string StderrTail { get; }
}
