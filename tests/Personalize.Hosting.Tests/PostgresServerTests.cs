using Npgsql;
using Personalize.TestSupport;

namespace Personalize.Hosting.Tests;

public sealed class PostgresServerTests
{
    [Fact]
    public async Task Restart_keeps_the_data_and_the_port_and_dispose_removes_the_directory()
    {
        var server = await PostgresServer.StartAsync();
        string dataRoot;
        await using (server)
        {
            // Pooling off: connections opened before the restart would be dead afterwards.
            var connectionString = new NpgsqlConnectionStringBuilder(await server.CreateDatabaseAsync()) { Pooling = false }.ConnectionString;
            await ExecuteAsync(connectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (7);");
            var port = server.Port;

            await server.RestartAsync();

            Assert.Equal(port, server.Port);
            Assert.Equal(7, await ExecuteAsync(connectionString, "SELECT v FROM kept"));
            dataRoot = Path.GetDirectoryName(server.DataDirectory)!;
        }

        Assert.False(Directory.Exists(dataRoot));
    }

    private static async Task<object?> ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }
}
