using System.Data.Common;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Personalize.Hosting.Storage;

namespace Personalize.Hosting.Tests;

[Collection(PostgresCollection.Name)]
public sealed partial class SchemaInstallerTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SchemaInstaller _installer = new(NullLogger<SchemaInstaller>.Instance);

    public void Dispose() => _directory.Dispose();

    [Fact]
    public async Task Sqlite_install_twice_is_harmless_and_creates_the_missing_directory()
    {
        var connectionString = _directory.SqliteConnectionString();

        await _installer.InstallAsync(SchemaDialect.Sqlite, connectionString);
        await _installer.InstallAsync(SchemaDialect.Sqlite, connectionString);

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(SchemaScripts.For(SchemaDialect.Sqlite).Migrations.Count,
            await ScalarAsync<long>(connection, "SELECT count(*) FROM personalize_schema_version"));
        Assert.Equal("wal", await ScalarAsync<string>(connection, "PRAGMA journal_mode"));
        Assert.Equal(OrleansQueryContract.Persistence.Count + OrleansQueryContract.Reminders.Count,
            (int)await ScalarAsync<long>(connection, "SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task Sqlite_concurrent_installers_all_succeed()
    {
        var connectionString = _directory.SqliteConnectionString();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => _installer.InstallAsync(SchemaDialect.Sqlite, connectionString))));

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(SchemaScripts.For(SchemaDialect.Sqlite).Migrations.Count,
            await ScalarAsync<long>(connection, "SELECT count(*) FROM personalize_schema_version"));
    }

    [Fact]
    public async Task Postgres_install_twice_is_harmless()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();

        await _installer.InstallAsync(SchemaDialect.Postgres, connectionString);
        await _installer.InstallAsync(SchemaDialect.Postgres, connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(SchemaScripts.For(SchemaDialect.Postgres).Migrations.Count,
            await ScalarAsync<long>(connection, "SELECT count(*) FROM personalize_schema_version"));
        Assert.Equal(OrleansQueryContract.Persistence.Count + OrleansQueryContract.Reminders.Count + OrleansQueryContract.Clustering.Count,
            (int)await ScalarAsync<long>(connection, "SELECT count(*) FROM OrleansQuery"));
    }

    [Fact]
    public async Task Postgres_concurrent_installers_on_a_fresh_database_all_succeed()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();

        // Separate pools so the installers really race on separate sessions.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => _installer.InstallAsync(
            SchemaDialect.Postgres, new NpgsqlConnectionStringBuilder(connectionString) { ApplicationName = $"installer-{i}" }.ConnectionString))));

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        Assert.Equal(SchemaScripts.For(SchemaDialect.Postgres).Migrations.Count,
            await ScalarAsync<long>(connection, "SELECT count(*) FROM personalize_schema_version"));
    }

    [Fact]
    public async Task Sqlite_has_every_persistence_and_reminder_query_with_only_parameters_the_providers_bind()
    {
        var connectionString = _directory.SqliteConnectionString();
        await _installer.InstallAsync(SchemaDialect.Sqlite, connectionString);

        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        var queries = await ReadQueriesAsync(connection);

        AssertQueries(queries, OrleansQueryContract.Persistence);
        AssertQueries(queries, OrleansQueryContract.Reminders);
    }

    [Fact]
    public async Task Postgres_has_every_persistence_clustering_and_reminder_query_with_only_parameters_the_providers_bind()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await _installer.InstallAsync(SchemaDialect.Postgres, connectionString);

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var queries = await ReadQueriesAsync(connection);

        AssertQueries(queries, OrleansQueryContract.Persistence);
        AssertQueries(queries, OrleansQueryContract.Clustering);
        AssertQueries(queries, OrleansQueryContract.Reminders);
    }

    private static void AssertQueries(IReadOnlyDictionary<string, string> installed, IReadOnlyDictionary<string, string[]> required)
    {
        foreach (var (key, parameters) in required)
        {
            Assert.True(installed.TryGetValue(key, out var text), $"OrleansQuery lacks {key}.");
            // Microsoft.Data.Sqlite throws on a referenced but unbound parameter, so every @Name must be one the provider sends.
            var referenced = ParameterPattern().Matches(StripComments(text!)).Select(m => m.Groups[1].Value).ToHashSet();
            Assert.Empty(referenced.Except(parameters));
        }
    }

    private static string StripComments(string sql) => string.Join('\n', sql.Split('\n').Where(l => !l.TrimStart().StartsWith("--")));

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex ParameterPattern();

    private static async Task<Dictionary<string, string>> ReadQueriesAsync(DbConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT QueryKey, QueryText FROM OrleansQuery";
        await using var reader = await command.ExecuteReaderAsync();
        var queries = new Dictionary<string, string>();
        while (await reader.ReadAsync())
        {
            queries[reader.GetString(0)] = reader.GetString(1);
        }

        return queries;
    }

    internal static async Task<T> ScalarAsync<T>(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType((await command.ExecuteScalarAsync())!, typeof(T));
    }
}
