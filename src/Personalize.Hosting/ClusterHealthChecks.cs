using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace Personalize.Hosting;

/// <summary>Ready only when a grain call round-trips: the embedded silo joined, or the client reached the cluster.</summary>
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

/// <summary>
/// A silo is ready when the membership table lists it Active: it joined and takes grains. Not a grain
/// call, because the grain called would live on some other silo and report that silo's health.
/// </summary>
public sealed class SiloJoinedHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var local = services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
        var status = services.GetRequiredService<IClusterMembershipService>().CurrentSnapshot.GetSiloStatus(local);
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"silo {local} active")
            : HealthCheckResult.Unhealthy($"silo {local} is {status}"));
    }
}
