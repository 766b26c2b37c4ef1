using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using Orleans.Configuration;

namespace Personalize.Hosting;

/// <summary>
/// The one place that turns configuration into an Orleans silo or client, shared by the gateway and
/// the dedicated silo so the two modes are never wired twice.
/// </summary>
public static class OrleansHostingExtensions
{
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

        if (!alwaysSilo && cluster.IsClient)
        {
            builder.UseOrleansClient(client =>
            {
                client.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
                client.AddPersonalizeClustering(cluster.Clustering, connectionString, cluster.GatewayPort);
            });
        }
        else
        {
            builder.UseOrleans(silo =>
            {
                silo.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = (cluster.ClusterId, cluster.ServiceId));
                silo.AddPersonalizeClustering(cluster.Clustering, connectionString, cluster.SiloPort, cluster.GatewayPort);
                silo.AddPersonalizeStorage(storage.Provider, connectionString);
                configureSilo(silo);
            });
        }

        builder.Services.AddSingleton<PersonalizeMetrics>();
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [ClusterHealthCheck.ReadyTag]);
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(PersonalizeMetrics.MeterName, "Microsoft.Orleans")
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary><c>/health/live</c>, <c>/health/ready</c> and <c>/metrics</c>.</summary>
    public static IEndpointRouteBuilder MapPersonalizeOperations(this IEndpointRouteBuilder app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains(ClusterHealthCheck.ReadyTag) });
        app.MapPrometheusScrapingEndpoint("/metrics");
        return app;
    }
}

/// <summary>Ready only when a grain call round-trips: the silo joined, or the client reached the cluster.</summary>
public sealed class ClusterHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string ReadyTag = "ready";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var grains = services.GetRequiredService<IGrainFactory>();
            await grains.GetGrain<ITriggerCatalogGrain>(0).GetVersionAsync().WaitAsync(TimeSpan.FromSeconds(3), cancellationToken);
            return HealthCheckResult.Healthy("cluster reachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy("cluster not reachable: " + ex.Message);
        }
    }
}
