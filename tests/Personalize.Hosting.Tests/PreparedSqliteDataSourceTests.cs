using System.Data;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Personalize.Hosting.Storage;

namespace Personalize.Hosting.Tests;

/// <summary>
/// The connections the grain storage gets under SQLite. Calls are made the way the Orleans ADO.NET
/// provider makes them: open from the data source, create a command, add parameters, then set the text,
/// execute, dispose the reader, the command and the connection.
/// </summary>
public sealed class PreparedSqliteDataSourceTests : IDisposable
{
    private const string Insert = "INSERT INTO Items (Id, Name) VALUES (@Id, @Name) RETURNING Id";
    private readonly TempDirectory _directory = new();
    private readonly string _connectionString;

    public PreparedSqliteDataSourceTests()
    {
        _connectionString = _directory.SqliteConnectionString();
        Directory.CreateDirectory(Path.GetDirectoryName(new SqliteConnectionStringBuilder(_connectionString).DataSource)!);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode = WAL; CREATE TABLE Items (Id INTEGER PRIMARY KEY, Name TEXT NOT NULL)";
        command.ExecuteNonQuery();
    }

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task A_query_run_many_times_is_prepared_once_and_each_run_binds_its_own_values()
    {
        await using var source = new PreparedSqliteDataSource(_connectionString);

        for (var id = 1; id <= 100; id++)
            Assert.Equal([id], await RunAsync(source, Insert, ("Id", id), ("Name", $"item {id}")));

        // One connection served every call (each was closed before the next opened), one text was prepared on it.
        Assert.Equal(1, source.PreparedQueries);
        Assert.Equal(100L, Scalar("SELECT count(*) FROM Items WHERE Name = 'item ' || Id"));
    }

    [Fact]
    public async Task A_parameter_not_added_this_time_is_missing_not_left_over_from_the_last_run()
    {
        await using var source = new PreparedSqliteDataSource(_connectionString);
        await RunAsync(source, Insert, ("Id", 1), ("Name", "first"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => RunAsync(source, Insert, ("Id", 2)));

        Assert.Equal(1L, Scalar("SELECT count(*) FROM Items"));
        // The connection is still good for the next complete call.
        Assert.Equal([3], await RunAsync(source, Insert, ("Id", 3), ("Name", "third")));
    }

    [Fact]
    public async Task A_failed_statement_answers_its_error_and_the_next_call_runs()
    {
        await using var source = new PreparedSqliteDataSource(_connectionString);
        await RunAsync(source, Insert, ("Id", 1), ("Name", "first"));

        var error = await Assert.ThrowsAsync<SqliteException>(() => RunAsync(source, Insert, ("Id", 1), ("Name", "again")));

        Assert.Equal(19, error.SqliteErrorCode); // SQLITE_CONSTRAINT
        Assert.Equal([2], await RunAsync(source, Insert, ("Id", 2), ("Name", "second")));
        Assert.Equal(1, source.PreparedQueries);
    }

    [Fact]
    public async Task A_connection_given_back_inside_a_transaction_is_closed_and_its_work_rolled_back()
    {
        await using var source = new PreparedSqliteDataSource(_connectionString);
        DbConnection first;
        await using (first = await source.OpenConnectionAsync())
        {
            var transaction = await first.BeginTransactionAsync();
            await using var command = first.CreateCommand();
            command.Transaction = transaction;
            AddParameter(command, "Id", 1);
            AddParameter(command, "Name", "never committed");
            command.CommandText = Insert;
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync()) { }
        }

        await using var second = await source.OpenConnectionAsync();

        Assert.NotSame(first, second);
        Assert.Equal(0L, Scalar("SELECT count(*) FROM Items"));
    }

    [Fact]
    public async Task Connections_open_at_once_are_distinct_and_all_come_back()
    {
        await using var source = new PreparedSqliteDataSource(_connectionString);
        var a = await source.OpenConnectionAsync();
        var b = await source.OpenConnectionAsync();
        Assert.NotSame(a, b);
        Assert.Equal(ConnectionState.Open, a.State);
        await a.DisposeAsync();
        await b.DisposeAsync();

        var again = await source.OpenConnectionAsync();
        Assert.True(ReferenceEquals(again, a) || ReferenceEquals(again, b));
        await again.DisposeAsync();
    }

    [Fact]
    public async Task Closing_a_connection_again_after_giving_it_back_leaves_the_pooled_connection_open()
    {
        await using var source = new PreparedSqliteDataSource(_connectionString);
        var first = await source.OpenConnectionAsync();
        await first.DisposeAsync();

        first.Close();

        await using var next = await source.OpenConnectionAsync();
        Assert.Same(first, next);
        Assert.Equal(ConnectionState.Open, next.State);
        Assert.Equal([1], await RunOnAsync(next, Insert, ("Id", 1), ("Name", "first")));
    }

    [Fact]
    public void Parameters_named_without_their_prefix_cost_no_more_to_bind_than_named_with_it()
    {
        using var source = new PreparedSqliteDataSource(_connectionString);
        var id = 0;
        long AllocatedPerRun(string idName, string nameName)
        {
            void Run()
            {
                id++;
                using var connection = source.OpenConnection();
                using var command = connection.CreateCommand();
                AddParameter(command, idName, id);
                AddParameter(command, nameName, "item");
                command.CommandText = Insert;
                using var reader = command.ExecuteReader();
                while (reader.Read()) { }
            }
            for (var i = 0; i < 20; i++) Run();
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 200; i++) Run();
            return (GC.GetAllocatedBytesForCurrentThread() - before) / 200;
        }

        var prefixed = AllocatedPerRun("@Id", "@Name");
        var bare = AllocatedPerRun("Id", "Name");

        // Bound by trying each prefix, the two bare names cost ~380 B more a run (1,280 against 896 B: six strings and their UTF-8 copies).
        Assert.True(bare <= prefixed + 64, $"bare names {bare} B a run, prefixed {prefixed} B");
        Assert.Equal((long)id, Scalar("SELECT count(*) FROM Items"));
    }

    [Fact]
    public async Task Grain_state_writes_through_the_provider_reuse_their_prepared_statements()
    {
        await using var cluster = await TestClusters.StartAsync("Sqlite", _directory.SqliteConnectionString("grains.db"), $"svc-{Guid.NewGuid():N}");
        var grain = cluster.Client.GetGrain<ICounterGrain>("prepared");
        var source = cluster.Silos[0].ServiceProvider.GetRequiredService<PreparedSqliteDataSource>();
        await grain.Increment();
        var afterFirst = source.PreparedQueries;

        for (var i = 0; i < 50; i++) await grain.Increment();

        Assert.Equal(51, await grain.Get());
        Assert.Equal(afterFirst, source.PreparedQueries);
    }

    private static async Task<List<long>> RunAsync(DbDataSource source, string text, params (string Name, object Value)[] parameters)
    {
        await using var connection = await source.OpenConnectionAsync();
        return await RunOnAsync(connection, text, parameters);
    }

    private static async Task<List<long>> RunOnAsync(DbConnection connection, string text, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        foreach (var (name, value) in parameters) AddParameter(command, name, value);
        command.CommandText = text;
        await using var reader = await command.ExecuteReaderAsync();
        var ids = new List<long>();
        do
        {
            while (await reader.ReadAsync()) ids.Add(reader.GetInt64(0));
        } while (await reader.NextResultAsync());
        return ids;
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private long Scalar(string sql)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
