using Npgsql;

namespace IncrementalPS.Core;

/// <summary>
/// The checkpoint tables in their own PostgreSQL schema, created on first use and upgraded by ordered migrations. The
/// version row says which migrations ran; a database of a newer version than this build knows is refused untouched.
/// </summary>
/// <remarks>
/// Status codes in items.status are <see cref="KeyStatus"/> values: 0 completed, 1 failed, 2 started (leased),
/// 3 interrupted. docs/postgres.md documents the tables and the permissions an account needs.
/// </remarks>
internal static class PostgresSchema
{
    public const string Name = "incrementalps";

    // Lock id for pg_advisory_xact_lock while creating or upgrading: workers that start together create it once.
    private const long MigrationLock = 0x496E6350535F3031; // "IncPS_01"

    /// <summary>Migration n (1-based) takes the schema from version n-1 to n. Append only; never edit a shipped one.</summary>
    private static readonly string[] Migrations =
    {
        """
        CREATE TABLE incrementalps.checkpoints (
            id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            name text NOT NULL UNIQUE,
            created_at timestamptz NOT NULL DEFAULT now(),
            last_run integer NOT NULL DEFAULT 0,
            fingerprint text,
            total bigint);
        CREATE TABLE incrementalps.workers (
            checkpoint_id bigint NOT NULL REFERENCES incrementalps.checkpoints (id) ON DELETE CASCADE,
            run integer NOT NULL,
            host text NOT NULL,
            pid integer NOT NULL,
            writer text NOT NULL,
            started_at timestamptz NOT NULL DEFAULT now(),
            heartbeat_at timestamptz NOT NULL DEFAULT now(),
            lease_seconds double precision NOT NULL,
            ended_at timestamptz,
            outcome text,
            seen bigint NOT NULL DEFAULT 0,
            completed bigint NOT NULL DEFAULT 0,
            failed bigint NOT NULL DEFAULT 0,
            skipped bigint NOT NULL DEFAULT 0,
            PRIMARY KEY (checkpoint_id, run));
        CREATE TABLE incrementalps.items (
            checkpoint_id bigint NOT NULL REFERENCES incrementalps.checkpoints (id) ON DELETE CASCADE,
            key text NOT NULL,
            status smallint NOT NULL,
            run integer NOT NULL,
            attempts integer NOT NULL,
            deaths integer NOT NULL DEFAULT 0,
            token bigint NOT NULL,
            lease_until timestamptz,
            finished_at timestamptz,
            duration_ms double precision,
            output text,
            error_message text,
            error_type text,
            error_category text,
            PRIMARY KEY (checkpoint_id, key));
        CREATE INDEX items_leased ON incrementalps.items (checkpoint_id, run) WHERE status = 2;
        CREATE SEQUENCE incrementalps.tokens;
        """,

        // Key hashing: the check value of the secret a checkpoint's keys are hashed with (KeyHasher.Check); null for clear keys.
        """
        ALTER TABLE incrementalps.checkpoints ADD COLUMN key_hash_check text;
        """,

        // Suspend-Checkpoint / incps suspend: when the latest request to suspend was made (PostgresSuspend).
        """
        ALTER TABLE incrementalps.checkpoints ADD COLUMN suspend_requested_at timestamptz;
        """,

        // Claims in token order: each claim also brings the keys other workers claimed since this worker last asked,
        // so that a worker declines those without a round trip of their own.
        """
        CREATE INDEX items_claimed ON incrementalps.items (checkpoint_id, token);
        """,

        // Claims made ahead: a worker that sees its next items claims several in one trip, marked reserved until it
        // starts each. A reserved claim that lapses is not a death of the item: it never ran.
        """
        ALTER TABLE incrementalps.items ADD COLUMN reserved boolean NOT NULL DEFAULT false;
        """,

        // Claims without the foreign key to checkpoints: its check of every claimed row share-locked the checkpoint's row,
        // and with workers claiming at once each lock was a MultiXact (14% of the server's CPU per item). What it
        // guarded, no item of a removed checkpoint, is kept by PostgresCheckpointLock: a claim holds the checkpoint's
        // lock shared, and removing a checkpoint takes it exclusively and deletes its items itself.
        """
        ALTER TABLE incrementalps.items DROP CONSTRAINT items_checkpoint_id_fkey;
        """,

        // Results written in place (HOT): an index on status (this one's predicate) made every result an UPDATE that
        // inserted into each index of items. The heartbeat and the end of a run now name the keys a worker holds.
        """
        DROP INDEX incrementalps.items_leased;
        """,
    };

    public static int CurrentVersion => Migrations.Length;

    /// <summary>Creates or upgrades the schema, or refuses a newer one. Safe to call from many workers at once.</summary>
    /// <exception cref="CheckpointSchemaVersionException">The database's schema is newer than this build.</exception>
    public static void Ensure(NpgsqlConnection connection, string display)
    {
        var found = ReadVersion(connection);
        if (found == CurrentVersion)
        {
            return;
        }

        if (found > CurrentVersion)
        {
            throw new CheckpointSchemaVersionException(display, found, CurrentVersion);
        }

        using var transaction = connection.BeginTransaction();
        Execute(connection, $"SELECT pg_advisory_xact_lock({MigrationLock})");
        Execute(connection, $"CREATE SCHEMA IF NOT EXISTS {Name}");
        Execute(connection, $"CREATE TABLE IF NOT EXISTS {Name}.schema_version (version integer NOT NULL)");

        // Again under the lock: another worker may have migrated meanwhile.
        found = ReadVersion(connection);
        if (found > CurrentVersion)
        {
            throw new CheckpointSchemaVersionException(display, found, CurrentVersion);
        }

        for (var version = found + 1; version <= CurrentVersion; version++)
        {
            Execute(connection, Migrations[version - 1]);
        }

        Execute(connection, $"DELETE FROM {Name}.schema_version; INSERT INTO {Name}.schema_version VALUES ({CurrentVersion})");
        transaction.Commit();
    }

    /// <summary>The schema's version, 0 when there is none yet.</summary>
    public static int ReadVersion(NpgsqlConnection connection)
    {
        using var command = new NpgsqlCommand(
            $"SELECT CASE WHEN to_regclass('{Name}.schema_version') IS NULL THEN 0 ELSE -1 END", connection);
        if ((int)command.ExecuteScalar()! == 0)
        {
            return 0;
        }

        using var read = new NpgsqlCommand($"SELECT coalesce(max(version), 0) FROM {Name}.schema_version", connection);
        return (int)read.ExecuteScalar()!;
    }

    private static void Execute(NpgsqlConnection connection, string sql)
    {
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}
