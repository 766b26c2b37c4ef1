using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Creates or upgrades the Personalize schema: applies the embedded migrations not yet recorded in
/// <c>personalize_schema_version</c>, then upserts every OrleansQuery row (cheap, and keeps query fixes
/// flowing to existing databases). Safe to run on every start and from several silos at once: the whole
/// install runs in one transaction behind a database-wide lock (PostgreSQL advisory lock, SQLite
/// BEGIN IMMEDIATE), so a second installer waits and then finds nothing to do.
/// </summary>
public sealed partial class SchemaInstaller(ILogger<SchemaInstaller> logger)
{
    // Arbitrary but fixed: every Personalize installer on one PostgreSQL database takes this advisory lock.
    private const long PostgresAdvisoryLockKey = 0x5045_5253_4F4E_4131; // "PERSONA1"
    private const int MaxAttempts = 10;
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <summary>Installs the schema, retrying transient failures (database still starting) for about ten seconds.</summary>
    public async Task InstallAsync(SchemaDialect dialect, string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var scripts = SchemaScripts.For(dialect);

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var applied = dialect switch
                {
                    SchemaDialect.Sqlite => await InstallSqliteAsync(scripts, connectionString, cancellationToken),
                    SchemaDialect.Postgres => await InstallPostgresAsync(scripts, connectionString, cancellationToken),
                    _ => throw new ArgumentOutOfRangeException(nameof(dialect), dialect, "Unknown schema dialect."),
                };
                LogInformationSchemaReady(dialect, scripts.Migrations[^1].Version, applied, scripts.Queries.Count);
                return;
            }
            catch (DbException exception) when (exception.IsTransient && attempt < MaxAttempts)
            {
                LogWarningSchemaInstallRetry(exception, dialect, attempt, MaxAttempts);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    private async Task<int> InstallSqliteAsync(SchemaScripts scripts, string connectionString, CancellationToken cancellationToken)
    {
        EnsureSqliteDirectory(connectionString);

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);

        // WAL is a property of the database file (it sticks for every later connection): readers never block
        // the writer. It cannot be switched inside a transaction, hence before BEGIN.
        // busy_timeout covers this connection; the providers' own connections rely on Microsoft.Data.Sqlite,
        // which retries SQLITE_BUSY until the command timeout (30 s by default).
        await ExecuteAsync(connection, null, "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL;", cancellationToken);

        // BEGIN IMMEDIATE takes the write lock up front, so concurrent installers queue instead of deadlocking
        // on a read-to-write upgrade.
        await using var transaction = connection.BeginTransaction(deferred: false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS personalize_schema_version (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
            );
            """, cancellationToken);
        var applied = await ApplyAsync(SchemaDialect.Sqlite, connection, transaction, scripts, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    private async Task<int> InstallPostgresAsync(SchemaScripts scripts, string connectionString, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Held until commit or rollback; CREATE TABLE IF NOT EXISTS alone is not safe against a concurrent twin.
        await ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({PostgresAdvisoryLockKey});", cancellationToken);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS personalize_schema_version (
                version    integer     NOT NULL PRIMARY KEY,
                name       text        NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            );
            """, cancellationToken);
        var applied = await ApplyAsync(SchemaDialect.Postgres, connection, transaction, scripts, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return applied;
    }

    /// <summary>Applies missing migrations and upserts the query texts; returns how many migrations ran.</summary>
    private async Task<int> ApplyAsync(
        SchemaDialect dialect, DbConnection connection, DbTransaction transaction, SchemaScripts scripts, CancellationToken cancellationToken)
    {
        var installed = new HashSet<int>();
        await using (var command = CreateCommand(connection, transaction, "SELECT version FROM personalize_schema_version;"))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                installed.Add(Convert.ToInt32(reader.GetValue(0)));
            }
        }

        var applied = 0;
        foreach (var migration in scripts.Migrations.Where(m => !installed.Contains(m.Version)))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await using var record = CreateCommand(connection, transaction,
                "INSERT INTO personalize_schema_version (version, name) VALUES (@version, @name);");
            AddParameter(record, "version", migration.Version);
            AddParameter(record, "name", migration.Name);
            await record.ExecuteNonQueryAsync(cancellationToken);
            LogInformationMigrationApplied(dialect, migration.Version, migration.Name);
            applied++;
        }

        foreach (var (key, text) in scripts.Queries)
        {
            await using var upsert = CreateCommand(connection, transaction, """
                INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES (@key, @text)
                ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;
                """);
            AddParameter(upsert, "key", key);
            AddParameter(upsert, "text", text);
            await upsert.ExecuteNonQueryAsync(cancellationToken);
        }

        return applied;
    }

    /// <summary>Microsoft.Data.Sqlite does not create missing folders, and the embedded default points at ./data.</summary>
    private static void EnsureSqliteDirectory(string connectionString)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        var dataSource = builder.DataSource;
        if (builder.Mode == SqliteOpenMode.Memory || string.IsNullOrEmpty(dataSource)
            || dataSource == ":memory:" || dataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var directory = Path.GetDirectoryName(Path.GetFullPath(dataSource));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = CreateCommand(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand CreateCommand(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Applied {Dialect} schema migration {Version} ({Name}).")]
    private partial void LogInformationMigrationApplied(SchemaDialect dialect, int version, string name);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "{Dialect} schema is at version {Version} ({Applied} migrations applied now, {QueryCount} Orleans queries installed).")]
    private partial void LogInformationSchemaReady(SchemaDialect dialect, int version, int applied, int queryCount);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Installing the {Dialect} schema failed transiently (attempt {Attempt} of {MaxAttempts}); retrying.")]
    private partial void LogWarningSchemaInstallRetry(Exception exception, SchemaDialect dialect, int attempt, int maxAttempts);
}
