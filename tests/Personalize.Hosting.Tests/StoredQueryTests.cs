using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Personalize.Hosting.Storage;

namespace Personalize.Hosting.Tests;

/// <summary>
/// Runs the installed OrleansQuery texts directly, with the parameters the providers send, for the paths a
/// running silo rarely takes: racing first writes, DeleteStateOnClear, and membership maintenance.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoredQueryTests(PostgresFixture postgres) : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly SchemaInstaller _installer = new(NullLogger<SchemaInstaller>.Instance);

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData(SchemaDialect.Sqlite)]
    [InlineData(SchemaDialect.Postgres)]
    public async Task Racing_first_writes_store_one_row_and_delete_checks_the_version(SchemaDialect dialect)
    {
        var (connect, _) = await InstallAsync(dialect);
        var identity = new Dictionary<string, object?>
        {
            ["GrainIdHash"] = 42, ["GrainIdN0"] = 0L, ["GrainIdN1"] = 0L, ["GrainTypeHash"] = -7,
            ["GrainTypeString"] = "counter", ["GrainIdExtensionString"] = null, ["ServiceId"] = "svc",
        };

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Task.Run(() => RunAsync(connect, "WriteToStorageKey",
            new(identity) { ["GrainStateVersion"] = null, ["PayloadBinary"] = new byte[] { (byte)i } }))));

        Assert.Single(results, rows => rows.Count == 1 && Convert.ToInt32(rows[0]) == 1);
        Assert.Equal(9, results.Count(rows => rows.Count == 0));

        Assert.Empty(await RunAsync(connect, "DeleteStorageKey", new(identity) { ["GrainStateVersion"] = 5 }));
        Assert.Equal(2, Convert.ToInt32((await RunAsync(connect, "DeleteStorageKey", new(identity) { ["GrainStateVersion"] = 1 }))[0]));
        Assert.Empty(await RunAsync(connect, "ReadFromStorageKey", identity));

        // A versioned write to a row that no longer exists is a conflict, not a resurrection.
        Assert.Empty(await RunAsync(connect, "WriteToStorageKey",
            new(identity) { ["GrainStateVersion"] = 1, ["PayloadBinary"] = new byte[] { 1 } }));
    }

    [Fact]
    public async Task Membership_version_insert_update_cleanup_and_delete_follow_the_contract()
    {
        var (connect, _) = await InstallAsync(SchemaDialect.Postgres);
        var now = DateTime.UtcNow;
        var member = new Dictionary<string, object?>
        {
            ["DeploymentId"] = "c1", ["Address"] = "127.0.0.1", ["Port"] = 11111, ["Generation"] = 1,
            ["SiloName"] = "s1", ["HostName"] = "h", ["Status"] = 6, ["ProxyPort"] = 30000,
            ["StartTime"] = now.AddHours(-2), ["IAmAliveTime"] = now.AddHours(-2),
        };
        var deployment = new Dictionary<string, object?> { ["DeploymentId"] = "c1" };

        Assert.Equal(1L, Convert.ToInt64((await RunAsync(connect, "InsertMembershipVersionKey", deployment))[0]));
        Assert.Equal(0L, Convert.ToInt64((await RunAsync(connect, "InsertMembershipVersionKey", deployment))[0]));

        Assert.Equal(0L, Convert.ToInt64((await RunAsync(connect, "InsertMembershipKey", new(member) { ["Version"] = 3 }))[0]));
        Assert.Equal(1L, Convert.ToInt64((await RunAsync(connect, "InsertMembershipKey", new(member) { ["Version"] = 0 }))[0]));
        // The same member twice fails and leaves the version alone (still 1, so a write at 1 must succeed next).
        Assert.Equal(0L, Convert.ToInt64((await RunAsync(connect, "InsertMembershipKey", new(member) { ["Version"] = 1 }))[0]));
        var update = new Dictionary<string, object?>
        {
            ["DeploymentId"] = "c1", ["Address"] = "127.0.0.1", ["Port"] = 11111, ["Generation"] = 1,
            ["Status"] = 6, ["SuspectTimes"] = null, ["IAmAliveTime"] = now.AddHours(-2), ["Version"] = 1,
        };
        Assert.Equal(1L, Convert.ToInt64((await RunAsync(connect, "UpdateMembershipKey", update))[0]));
        Assert.Equal(0L, Convert.ToInt64((await RunAsync(connect, "UpdateMembershipKey", update))[0])); // stale version

        await RunAsync(connect, "CleanupDefunctSiloEntriesKey", new(deployment) { ["IAmAliveTime"] = now.AddHours(-1) });
        Assert.Single(await RunAsync(connect, "MembershipReadAllKey", deployment)); // only the version row is left

        await RunAsync(connect, "DeleteMembershipTableEntriesKey", deployment);
        Assert.Empty(await RunAsync(connect, "MembershipReadAllKey", deployment));
    }

    private async Task<(Func<Task<DbConnection>> Connect, string ConnectionString)> InstallAsync(SchemaDialect dialect)
    {
        var connectionString = dialect == SchemaDialect.Sqlite
            ? _directory.SqliteConnectionString()
            : await postgres.Server.CreateDatabaseAsync();
        await _installer.InstallAsync(dialect, connectionString);
        return (async () =>
        {
            DbConnection connection = dialect == SchemaDialect.Sqlite
                ? new SqliteConnection(connectionString)
                : new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            return connection;
        }, connectionString);
    }

    /// <summary>Runs one stored query as the providers do (own connection, no transaction); returns column 0 of each row.</summary>
    private static async Task<List<object>> RunAsync(Func<Task<DbConnection>> connect, string key, Dictionary<string, object?> parameters)
    {
        await using var connection = await connect();
        string text;
        await using (var lookup = connection.CreateCommand())
        {
            lookup.CommandText = $"SELECT QueryText FROM OrleansQuery WHERE QueryKey = '{key}'";
            text = (string)(await lookup.ExecuteScalarAsync())!;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = text;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            if (value is null)
            {
                // Orleans types its nulls from the CLR type (int? → Int32, string → String); do the same.
                parameter.DbType = name == "GrainStateVersion" ? System.Data.DbType.Int32 : System.Data.DbType.String;
            }

            command.Parameters.Add(parameter);
        }

        var rows = new List<object>();
        await using var reader = await command.ExecuteReaderAsync();
        do
        {
            while (await reader.ReadAsync())
            {
                rows.Add(reader.GetValue(0));
            }
        }
        while (await reader.NextResultAsync());
        return rows;
    }
}
