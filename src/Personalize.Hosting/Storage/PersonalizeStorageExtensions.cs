using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Hosting;
using Orleans.Messaging;
using Orleans.Runtime;
using Orleans.Runtime.Membership;
using Orleans.Serialization;
using Orleans.Storage;
using Personalize.Hosting.Storage;

namespace Personalize.Hosting;

/// <summary>
/// Storage and clustering choices of a Personalize silo or client (CONTRACT.md §1:
/// <c>Personalize:Storage:Provider</c>, <c>Personalize:Cluster:Clustering</c>, <c>ConnectionStrings:Personalize</c>).
/// ClusterOptions (ClusterId, ServiceId) are the caller's to set.
/// </summary>
public static class PersonalizeStorageExtensions
{
    /// <summary>The ADO.NET provider's own name under the SQLite <see cref="StorageNames.Default"/> storage.</summary>
    private const string SqliteInnerStorage = StorageNames.Default + ".Sqlite";

    /// <summary>
    /// Registers grain storage <see cref="StorageNames.Default"/> and the reminder service.
    /// <paramref name="provider"/>: "Sqlite" or "Postgres" (ADO.NET on that database, schema installed at
    /// start-up before the providers read their queries) or "Memory" (tests only; nothing survives a restart).
    /// </summary>
    public static ISiloBuilder AddPersonalizeStorage(this ISiloBuilder silo, string provider, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentNullException.ThrowIfNull(provider);

        if (provider.Equals("Memory", StringComparison.OrdinalIgnoreCase))
        {
            silo.AddMemoryGrainStorage(StorageNames.Default);
            silo.UseInMemoryReminderService();
            return silo;
        }

        var dialect = provider switch
        {
            _ when provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase) => SchemaDialect.Sqlite,
            _ when provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) => SchemaDialect.Postgres,
            _ => throw new ArgumentException(
                $"Unknown storage provider '{provider}' (Personalize:Storage:Provider). Use Sqlite, Postgres or Memory.",
                nameof(provider)),
        };
        RequireConnectionString(connectionString, $"the {dialect} storage provider");

        var invariant = AdoNetInvariantNames.For(dialect);
        AddSchemaInstall(silo.Services, new SchemaTarget(dialect, connectionString));
        // SQLite has one writer per database: the provider is registered under an inner name and the
        // Default storage queues its writes in process (SingleWriterGrainStorage says why).
        var adoNetName = dialect == SchemaDialect.Sqlite ? SqliteInnerStorage : StorageNames.Default;
        silo.AddAdoNetGrainStorage(adoNetName, optionsBuilder => optionsBuilder.Configure<IServiceProvider>((options, services) =>
        {
            options.Invariant = invariant;
            // Under SQLite the provider gets connections that keep their statements prepared (PreparedSqliteDataSource).
            if (dialect == SchemaDialect.Sqlite) options.DataSource = services.GetRequiredService<PreparedSqliteDataSource>();
            else options.ConnectionString = connectionString;
            // Erasure (DELETE /api/shoppers/{id}) must remove the row; by default ClearStateAsync only nulls its payload.
            options.DeleteStateOnClear = true;
            // State in Orleans' binary format (the [GenerateSerializer] codecs every stored type has for the wire)
            // instead of the providers' default Newtonsoft JSON, the largest CPU item of a state write under load
            // (loadtests/README.md). Orleans' GrainStorageSerializer falls back to JSON for rows an earlier build
            // wrote that way; their next write stores them in binary.
            // Under SQLite it is wrapped so that the write queue serializes a state before queueing its write.
            options.GrainStorageSerializer = dialect == SchemaDialect.Sqlite
                ? services.GetRequiredService<StateSnapshotSerializer>()
                : StateSerializer(services);
        }));
        if (dialect == SchemaDialect.Sqlite)
        {
            silo.Services.AddSingleton(services =>
            {
                var binary = new BinaryStateSerializer(services.GetRequiredService<Serializer>());
                return new StateSnapshotSerializer(StateSerializer(services, binary), binary);
            });
            silo.Services.AddSingleton(_ => new PreparedSqliteDataSource(connectionString));
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Default,
                (services, _) => new SingleWriterGrainStorage(
                    services.GetRequiredKeyedService<IGrainStorage>(SqliteInnerStorage), services.GetService<PersonalizeMetrics>(),
                    services.GetRequiredService<StateSnapshotSerializer>()));
            silo.Services.AddSingleton(services => new SqliteCheckpointer(connectionString, services.GetRequiredService<ILogger<SqliteCheckpointer>>()));
            silo.Services.AddHostedService(services => services.GetRequiredService<SqliteCheckpointer>());
        }
        silo.UseAdoNetReminderService(options =>
        {
            options.Invariant = invariant;
            options.ConnectionString = connectionString;
        });
        if (dialect == SchemaDialect.Sqlite) QueueReminderWrites(silo.Services);
        return silo;
    }

    /// <summary>
    /// Configures membership. "Localhost": a single-host development cluster on loopback. "Postgres": ADO.NET
    /// membership in PostgreSQL (schema installed at start-up); the silo listens on all addresses and advertises
    /// this host's address, which a caller may override through <c>EndpointOptions.AdvertisedIPAddress</c>.
    /// </summary>
    public static ISiloBuilder AddPersonalizeClustering(
        this ISiloBuilder silo, string clustering, string connectionString, int siloPort, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(silo);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(siloPort);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gatewayPort);

        if (IsPostgresClustering(clustering))
        {
            RequireConnectionString(connectionString, "PostgreSQL clustering");
            AddSchemaInstall(silo.Services, new SchemaTarget(SchemaDialect.Postgres, connectionString));
            silo.ConfigureEndpoints(siloPort, gatewayPort, listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(options =>
            {
                options.Invariant = AdoNetInvariantNames.Postgres;
                options.ConnectionString = connectionString;
            });
            return silo;
        }

        // Passing no ids keeps UseLocalhostClustering from overriding the caller's ClusterOptions.
        return silo.UseLocalhostClustering(siloPort, gatewayPort);
    }

    /// <summary>Points a client at the cluster: the loopback gateway port, or the gateways listed in PostgreSQL.</summary>
    public static IClientBuilder AddPersonalizeClustering(
        this IClientBuilder client, string clustering, string connectionString, int gatewayPort)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(gatewayPort);

        if (!IsPostgresClustering(clustering))
        {
            return client.UseLocalhostClustering(gatewayPort);
        }

        RequireConnectionString(connectionString, "PostgreSQL clustering");
        client.UseAdoNetClustering(options =>
        {
            options.Invariant = AdoNetInvariantNames.Postgres;
            options.ConnectionString = connectionString;
        });

        // Replace the provider UseAdoNetClustering registered with one that installs the schema first.
        var target = new SchemaTarget(SchemaDialect.Postgres, connectionString);
        client.Services.TryAddSingleton<SchemaInstaller>();
        client.Services.RemoveAll<IGatewayListProvider>();
        client.Services.AddSingleton<IGatewayListProvider>(services => new SchemaInstallingGatewayListProvider(
            ActivatorUtilities.CreateInstance<AdoNetGatewayListProvider>(services),
            services.GetRequiredService<SchemaInstaller>(),
            target));
        return client;
    }

    private static bool IsPostgresClustering(string clustering)
    {
        ArgumentNullException.ThrowIfNull(clustering);
        if (clustering.Equals("Postgres", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (clustering.Equals("Localhost", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        throw new ArgumentException(
            $"Unknown clustering '{clustering}' (Personalize:Cluster:Clustering). Use Localhost or Postgres.",
            nameof(clustering));
    }

    private static GrainStorageSerializer StateSerializer(IServiceProvider services, BinaryStateSerializer? binary = null) => new(
        binary ?? new BinaryStateSerializer(services.GetRequiredService<Serializer>()),
        ActivatorUtilities.CreateInstance<JsonGrainStorageSerializer>(services));

    /// <summary>The reminder table's writes join the grain state writes' queue (SingleWriterReminderTable says why).</summary>
    private static void QueueReminderWrites(IServiceCollection services)
    {
        var registered = services.Last(d => d.ServiceType == typeof(IReminderTable) && !d.IsKeyedService);
        services.Remove(registered);
        services.AddSingleton<IReminderTable>(sp => new SingleWriterReminderTable(
            (IReminderTable)(registered.ImplementationInstance
                ?? registered.ImplementationFactory?.Invoke(sp)
                ?? ActivatorUtilities.CreateInstance(sp, registered.ImplementationType!)),
            (SingleWriterGrainStorage)sp.GetRequiredKeyedService<IGrainStorage>(StorageNames.Default)));
    }

    private static void AddSchemaInstall(IServiceCollection services, SchemaTarget target)
    {
        services.TryAddSingleton<SchemaInstaller>();
        services.AddSingleton(target);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ILifecycleParticipant<ISiloLifecycle>, SchemaInstallParticipant>());
    }

    private static void RequireConnectionString(string connectionString, string what)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new ArgumentException(
                $"A connection string (ConnectionStrings:Personalize) is required for {what}.", nameof(connectionString));
        }
    }
}
