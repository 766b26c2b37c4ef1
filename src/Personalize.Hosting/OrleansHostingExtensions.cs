using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Configuration;

namespace Personalize.Hosting;

/// <summary>
/// The one place that turns configuration into an Orleans silo or client, shared by the gateway and
/// the dedicated silo so the two modes are never wired twice.
/// </summary>
public static class OrleansHostingExtensions
{
    public const string LivePath = "/health/live";
    public const string ReadyPath = "/health/ready";
    public const string MetricsPath = "/metrics";

    /// <summary>
    /// Hosts a silo (dedicated silo, or the gateway in <c>Embedded</c> mode) or joins the cluster as a
    /// client (<c>Client</c> mode). <paramref name="configureSilo"/> adds the grains' own services.
    /// </summary>
    public static IHostApplicationBuilder AddPersonalizeOrleans(
        this IHostApplicationBuilder builder, bool alwaysSilo, Action<ISiloBuilder> configureSilo)
    {
        var cluster = builder.Configuration.GetSection(ClusterSettings.Section).Get<ClusterSettings>() ?? new ClusterSettings();
        var storage = builder.Configuration.GetSection(StorageSettings.Section).Get<StorageSettings>() ?? new StorageSettings();
        var connectionString = builder.Configuration.GetConnectionString(StorageSettings.ConnectionStringName)
            ?? StorageSettings.DefaultConnectionString;
        var problems = cluster.Problems().ToList();
        if (problems.Count > 0) throw new InvalidOperationException("Invalid configuration: " + string.Join("; ", problems));

        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ClusterChanges>();
        var health = builder.Services.AddHealthChecks();
        if (!alwaysSilo && cluster.IsClient)
        {
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
                client.Configure<GatewayOptions>(o => o.GatewayListRefreshPeriod = cluster.Membership.GatewayListRefreshPeriod);
                client.Configure<ClientMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
                client.AddPersonalizeClustering(cluster.Clustering, connectionString, cluster.GatewayPort);
                client.AddGatewayCountChangedHandler(services => (_, _) => services.GetRequiredService<ClusterChanges>().Notify());
                client.UseConnectionRetryFilter<ClusterConnectionRetry>();
            });
            // The client retries until a silo answers; start the web server meanwhile, so /health/live
            // answers and /health/ready says "not ready" instead of the port staying closed.
            builder.Services.Configure<HostOptions>(o => o.ServicesStartConcurrently = true);
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
                silo.AddPersonalizeClustering(cluster.Clustering, connectionString, cluster.SiloPort, cluster.GatewayPort);
                if (cluster.AdvertisedIp.Length > 0)
                    silo.Configure<EndpointOptions>(o => o.AdvertisedIPAddress = IPAddress.Parse(cluster.AdvertisedIp));
                silo.Configure<ClusterMembershipOptions>(o => cluster.Membership.ApplyTo(o));
                silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
                silo.AddPersonalizeStorage(storage.Provider, connectionString);
                configureSilo(silo);
            });
            builder.Services.AddHostedService<MembershipWatcher>();
            health.AddCheck<SiloJoinedHealthCheck>("silo", tags: [ClusterHealthCheck.ReadyTag]);
        }

        builder.Services.AddSingleton<PersonalizeMetrics>();
        // A dedicated silo's readiness is its own membership; a gateway's is reaching the grains.
        if (!alwaysSilo) health.AddCheck<ClusterHealthCheck>("cluster", tags: [ClusterHealthCheck.ReadyTag]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            // "System.Runtime" is the runtime's own meter (GC pauses, heap, thread pool queue, CPU, locks):
            // what an operator looks at first when latency moves.
            .AddMeter(PersonalizeMetrics.MeterName, "Microsoft.Orleans", "System.Runtime")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary><c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapPersonalizeOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks(LivePath, new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks(ReadyPath, new HealthCheckOptions { Predicate = c => c.Tags.Contains(ClusterHealthCheck.ReadyTag) });
        app.MapPrometheusScrapingEndpoint(MetricsPath);
        return app;
    }
}
