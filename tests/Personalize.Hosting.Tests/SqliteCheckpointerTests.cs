using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Personalize.Hosting.Storage;

namespace Personalize.Hosting.Tests;

/// <summary>
/// The background checkpointer against a real SQLite file in WAL mode: it copies committed log pages into the
/// database while another connection keeps writing, so the log restarts instead of growing to the point where
/// a write would run the checkpoint itself.
/// </summary>
public sealed class SqliteCheckpointerTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("personalize-ckpt-").FullName;

    [Fact]
    public async Task Pages_written_by_another_connection_are_checkpointed_and_the_log_stays_short()
    {
        var connectionString = $"Data Source={Path.Combine(_directory, "c.db")};Pooling=False";
        await using var writer = new SqliteConnection(connectionString);
        await writer.OpenAsync();
        await ExecuteAsync(writer, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY, payload BLOB);");

        using var checkpointer = new SqliteCheckpointer(connectionString, NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);

        // Autocheckpoint is off on the writing connection, so only the checkpointer can copy pages: 2,000 writes
        // of 2 KB would leave a log of thousands of pages without it. The log starts over only at a write that
        // finds it wholly copied, so the writer pauses after every 100 writes until the checkpointer has run
        // twice (the second run starts after the last write): a busy machine slows the test, not the verdict.
        var walFile = Path.Combine(_directory, "c.db-wal");
        long largestLog = 0;
        for (var i = 0; i < 2000; i++)
        {
            await ExecuteAsync(writer, $"INSERT OR REPLACE INTO t (id, payload) VALUES ({i % 500}, randomblob(2048));");
            largestLog = Math.Max(largestLog, LogPages(walFile));
            if (i % 100 != 99) continue;
            var (seen, pause) = (checkpointer.Checkpoints, DateTime.UtcNow + TimeSpan.FromSeconds(3));
            while (checkpointer.Checkpoints < seen + 2 && DateTime.UtcNow < pause) await Task.Delay(10);
        }
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (checkpointer.Checkpoints == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await checkpointer.StopAsync(CancellationToken.None);

        Assert.True(checkpointer.Checkpoints > 0, "no checkpoint copied any page");
        Assert.True(largestLog < 1000, $"the log reached {largestLog} pages");
        Assert.Equal(500, await CountAsync(writer));
    }

    [Fact]
    public async Task A_database_not_made_yet_is_waited_for_and_not_created_by_it()
    {
        var file = Path.Combine(_directory, "later.db");
        using var checkpointer = new SqliteCheckpointer($"Data Source={file}", NullLogger<SqliteCheckpointer>.Instance);
        await checkpointer.StartAsync(CancellationToken.None);
        await Task.Delay(SqliteCheckpointer.Interval * 4);
        Assert.Equal(0, checkpointer.Checkpoints);
        Assert.False(File.Exists(file));
        Assert.False(checkpointer.ExecuteTask!.IsCompleted);

        // The schema installer makes it and switches it to WAL: checkpoints start.
        await using (var writer = new SqliteConnection($"Data Source={file}"))
        {
            await writer.OpenAsync();
            await ExecuteAsync(writer, "PRAGMA journal_mode = WAL; PRAGMA wal_autocheckpoint = 0; CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1);");
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
            while (checkpointer.Checkpoints == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        }
        await checkpointer.StopAsync(CancellationToken.None);
        Assert.True(checkpointer.Checkpoints > 0);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>
    /// The furthest the log has reached, in pages (header 32 bytes, each frame a 24-byte header and a 4 KB page):
    /// the file is reused from its start after a checkpoint and grows only when the log runs past its end.
    /// </summary>
    private static long LogPages(string walFile)
    {
        var wal = new FileInfo(walFile);
        return wal.Exists ? (wal.Length - 32) / (4096 + 24) : 0;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<long> CountAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM t";
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
