using System;
using System.IO;
using IncrementalPS.Core;

namespace IncrementalPS.Cli;

/// <summary>Everything <see cref="JobRunner"/> needs, gathered from the command line by <see cref="RunCommand"/>.</summary>
internal sealed class JobSettings
{
    /// <summary>Creates the settings.</summary>
    public JobSettings(CheckpointLocation location, RunOptions options, ArgumentTemplate command, string? program, int jobs, bool nullSeparated, TextReader input, string hintName)
    {
        Location = location;
        Options = options;
        Command = command;
        Program = program;
        Jobs = jobs;
        NullSeparated = nullSeparated;
        Input = input;
        HintName = hintName;
    }

    /// <summary>The checkpoint.</summary>
    public CheckpointLocation Location { get; }

    /// <summary>The PostgreSQL store holding <see cref="Location"/>, or null for the file store.</summary>
    public PostgresTarget? Database { get; init; }

    /// <summary>How long this worker's claims in a PostgreSQL store outlive its last heartbeat.</summary>
    public TimeSpan Lease { get; init; } = PostgresCheckpoint.DefaultLease;

    /// <summary>The engine's options; <see cref="RunOptions.DescribeError"/> and <see cref="RunOptions.OnRetry"/> are set by the runner.</summary>
    public RunOptions Options { get; }

    /// <summary>The command to run per item.</summary>
    public ArgumentTemplate Command { get; }

    /// <summary>The program's full path, or null when the program itself comes from the item.</summary>
    public string? Program { get; }

    /// <summary>How many items run at once.</summary>
    public int Jobs { get; }

    /// <summary>Items are NUL-separated rather than one per line.</summary>
    public bool NullSeparated { get; }

    /// <summary>Where the items come from.</summary>
    public TextReader Input { get; }

    /// <summary>How to name the checkpoint in hints ("thumbs", "--path /x/y.jsonl").</summary>
    public string HintName { get; }

    /// <summary>The command's exit code that stops the run for later (--stop-exit-code); null when none does.</summary>
    public int? StopExitCode { get; init; }

    /// <summary>How long one run of the command may take before it is killed and the item failed (--timeout); null for no limit.</summary>
    public TimeSpan? Timeout { get; init; }
}
