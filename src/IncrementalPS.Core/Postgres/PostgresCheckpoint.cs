using System;

namespace IncrementalPS.Core;

/// <summary>Starts runs over checkpoints kept in PostgreSQL, for the front ends.</summary>
internal static class PostgresCheckpoint
{
    /// <summary>How long a worker's claims outlive its last heartbeat when the front end does not say.</summary>
    public static readonly TimeSpan DefaultLease = TimeSpan.FromSeconds(30);

    /// <summary>Where the checkpoint <paramref name="name"/> in <paramref name="target"/> is, for messages.</summary>
    /// <exception cref="CheckpointNameException">The name is not valid.</exception>
    public static CheckpointLocation Locate(PostgresTarget target, string name)
        => CheckpointLocation.InDatabaseNamed(name, target.Display + "#" + name);

    /// <summary>Joins the checkpoint at <paramref name="location"/> as one more worker, and starts its run.</summary>
    /// <exception cref="CheckpointServerException">The server failed or cannot be reached.</exception>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static CheckpointSession Start(PostgresTarget target, CheckpointLocation location, RunOptions options, TimeSpan lease, IProgress<RunProgress>? progress = null)
    {
        if (target is null)
        {
            throw new ArgumentNullException(nameof(target));
        }

        if (location is null || !location.InDatabase)
        {
            throw new ArgumentException("The location must be a checkpoint in a database.", nameof(location));
        }

        if (options is null)
        {
            throw new ArgumentNullException(nameof(options));
        }

        options.Validate();
        if (options.ProgressFile is not null)
        {
            // A bad progress file path is a setup problem: fail before the checkpoint is touched.
            ProgressFileWriter.Start(options.ProgressFile, RunProgress.Starting(location.Name, options.TotalCount), DateTime.UtcNow);
        }

        MetricsFile.CheckIfGiven(options.MetricsFile);
        return CheckpointSession.Start(location, PostgresRunStore.Open(target, location.Name, options, lease), options, progress);
    }
}
