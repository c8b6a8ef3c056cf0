namespace IncrementalPS.Cli;

/// <summary>
/// The exit codes of a command that died of the same stop request as incps: 128 + SIGINT (130) or SIGTERM (143) on
/// Unix, and on Windows STATUS_CONTROL_C_EXIT (0xC000013A), which a console process gets when Ctrl+C or Ctrl+Break
/// ends it (the console sends the event to every process attached to it, the commands as well as incps).
/// </summary>
internal static class InterruptionExitCodes
{
    public const int SigInt = 130;
    public const int SigTerm = 143;
    public const int ControlCExit = unchecked((int)0xC000013A);

    /// <summary>True when <paramref name="exitCode"/> says the command was interrupted rather than that it failed.</summary>
    public static bool IsInterruption(int exitCode) => exitCode is SigInt or SigTerm or ControlCExit;
}
