using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;

namespace Personalize.Hosting.Tests;

[Collection(PostgresCollection.Name)]
public sealed class PostgresStorageTests(PostgresFixture postgres)
{
    private readonly string _serviceId = $"svc-{Guid.NewGuid():N}";

    [Fact]
    public async Task State_survives_a_cluster_restart_and_conflicts_surface()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using (var first = await TestClusters.StartAsync("Postgres", connectionString, _serviceId))
        {
            var grain = first.Client.GetGrain<ICounterGrain>("pg-survivor");
            await grain.Increment();
            await grain.Increment();
            await grain.Clear();
            await grain.Increment();
            await first.StopAllSilosAsync();
        }

        await using var second = await TestClusters.StartAsync("Postgres", connectionString, _serviceId);
        var again = second.Client.GetGrain<ICounterGrain>("pg-survivor");
        Assert.Equal(1, await again.Get());

        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "UPDATE OrleansStorage SET Version = Version + 1 WHERE GrainIdExtensionString = 'pg-survivor'", connection);
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => again.Increment());
    }

    [Fact]
    public async Task Reminders_register_read_and_unregister_through_the_postgres_table()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        await using var cluster = await TestClusters.StartAsync("Postgres", connectionString, _serviceId);
        var grain = cluster.Client.GetGrain<ICounterGrain>("pg-reminded");

        await grain.RegisterReminder("wake-up");
        await grain.RegisterReminder("wake-up"); // upsert of an existing row bumps its version
        Assert.True(await grain.HasReminder("wake-up"));
        Assert.Equal(1L, await CountAsync(connectionString, "OrleansRemindersTable WHERE ReminderName = 'wake-up'"));

        await grain.UnregisterReminder("wake-up");
        Assert.False(await grain.HasReminder("wake-up"));
        Assert.Equal(0L, await CountAsync(connectionString, "OrleansRemindersTable WHERE ReminderName = 'wake-up'"));
    }

    [Fact]
    public async Task Two_silos_form_a_cluster_through_postgres_membership_and_serve_a_client()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var clusterId = $"cluster-{Guid.NewGuid():N}";
        var gatewayPorts = new[] { TestClusters.FreeLoopbackPort(), TestClusters.FreeLoopbackPort() };

        var silos = new List<IHost>();
        try
        {
            foreach (var gatewayPort in gatewayPorts)
            {
                var silo = BuildSilo(connectionString, clusterId, TestClusters.FreeLoopbackPort(), gatewayPort);
                await silo.StartAsync();
                silos.Add(silo);
            }

            var clientBuilder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            clientBuilder.UseOrleansClient(client => client
                .AddPersonalizeClustering("Postgres", connectionString, gatewayPorts[0])
                .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, _serviceId)));
            using var clientHost = clientBuilder.Build();
            await clientHost.StartAsync();
            var client = clientHost.Services.GetRequiredService<IClusterClient>();

            var hosts = await client.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
            Assert.Equal(2, hosts.Count);
            Assert.Equal(2L, await CountAsync(connectionString, $"OrleansMembershipTable WHERE DeploymentId = '{clusterId}' AND Status = 3"));
            Assert.Equal(1, await client.GetGrain<ICounterGrain>("clustered").Increment());

            await clientHost.StopAsync();
        }
        finally
        {
            foreach (var silo in Enumerable.Reverse(silos))
            {
                await silo.StopAsync();
                silo.Dispose();
            }
        }
    }

    private IHost BuildSilo(string connectionString, string clusterId, int siloPort, int gatewayPort)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleans(silo => silo
            .AddPersonalizeClustering("Postgres", connectionString, siloPort, gatewayPort)
            .AddPersonalizeStorage("Postgres", connectionString)
            .Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (clusterId, _serviceId))
            // Test traffic stays on loopback; in containers the silo advertises its host address.
            .Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Loopback));
        return builder.Build();
    }

    private static async Task<long> CountAsync(string connectionString, string fromWhere)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        return await SchemaInstallerTests.ScalarAsync<long>(connection, $"SELECT count(*) FROM {fromWhere}");
    }
}
