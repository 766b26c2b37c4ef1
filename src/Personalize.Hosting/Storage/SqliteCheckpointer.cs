using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Hosting.Storage;

/// <summary>
/// Copies the SQLite write-ahead log back into the database file from its own connection and thread, a
/// few times a second, so the state writes never do it themselves.
/// </summary>
/// <remarks>
/// <para>
/// Left to SQLite, the commit that takes the log past 1,000 pages runs the checkpoint inline: it copies every
/// page the log holds into the database and syncs the file, and that one write takes many times as long as
/// the others while every write queued behind it waits (<see cref="SingleWriterGrainStorage"/>). Turning that
/// off is a per-connection pragma the provider's write queries cannot carry (it answers with a row, which the
/// provider would read as the write's result); keeping the log short does the same. A passive checkpoint
/// never waits for the writer or for readers, so it runs beside the writes; the log then starts over from
/// its beginning at the next write and never grows to the threshold while this keeps up.
/// </para>
/// <para>
/// Durability is unchanged: a commit is in the log before its write answers either way; this only decides
/// which thread copies it onward.
/// </para>
/// </remarks>
public sealed partial class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>At ~1,000 writes a second of a few KB each, the log stays far below the 1,000-page threshold.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>Checkpoints run so far that copied at least one page.</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    private long _checkpoints;
    private bool _failing;

    /// <summary>
    /// A checkpoint is synchronous file work (copying pages, then a sync of the database file: 4 ms typical,
    /// tens of ms at times under load), so it runs on a thread of its own rather than holding one of the
    /// thread pool's few threads, which on a small machine serve every connection and grain call.
    /// </summary>
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        SqliteConnection? connection = null;
        try
        {
            while (!stoppingToken.WaitHandle.WaitOne(Interval))
            {
                try
                {
                    connection ??= OpenWal();
                    if (connection is not null && CheckpointOnce(connection)) Interlocked.Increment(ref _checkpoints);
                    _failing = false;
                }
                catch (SqliteException ex)
                {
                    // The database may not be installed yet, or the disk may be failing: the writes will say so
                    // to their callers. Here it is noted once and tried again on a fresh connection.
                    if (!_failing) LogCheckpointFailed(ex);
                    _failing = true;
                    connection?.Dispose();
                    connection = null;
                }
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    /// <summary>
    /// A connection once the schema installer has made the database and put it in WAL mode; until then none,
    /// so this neither creates the file nor holds it open while the journal mode changes.
    /// </summary>
    private SqliteConnection? OpenWal()
    {
        var builder = new SqliteConnectionStringBuilder(connectionString);
        if (builder.Mode == SqliteOpenMode.ReadWriteCreate) builder.Mode = SqliteOpenMode.ReadWrite;
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            if (command.ExecuteScalar() is string mode && mode.Equals("wal", StringComparison.OrdinalIgnoreCase))
                return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Dispose();
        return null;
    }

    /// <summary>True when log pages were copied into the database.</summary>
    private static bool CheckpointOnce(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        // One row: busy (1 when a reader or writer kept it from finishing), pages in the log, pages copied.
        command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
        using var reader = command.ExecuteReader();
        return reader.Read() && !reader.IsDBNull(2) && reader.GetInt64(2) > 0;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SQLite checkpoint failed; trying again")]
    private partial void LogCheckpointFailed(Exception ex);
}
