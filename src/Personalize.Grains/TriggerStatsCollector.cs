using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

public enum TriggerCounter
{
    Fired,
    Delivered,
    Shown,
    Clicked,
    Dismissed,
    Converted,
    HoldoutAssigned,
    HoldoutConverted,
}

/// <summary>Where the shopper rules report trigger counters; never blocks and never calls out.</summary>
public interface ITriggerStatsSink
{
    void Count(string triggerId, TriggerCounter counter, decimal revenue = 0);
}

/// <summary>Counts nothing: the simulator must touch no counter.</summary>
public sealed class NoTriggerStats : ITriggerStatsSink
{
    public static NoTriggerStats Instance { get; } = new();

    public void Count(string triggerId, TriggerCounter counter, decimal revenue = 0)
    {
    }
}

/// <summary>
/// One per process (silo or gateway): adds counters in memory and flushes one delta per trigger to its
/// <see cref="ITriggerStatsGrain"/> about once a second, so a busy trigger costs its stats grain one
/// call per process per second, never one per event. Each delta counts exactly once: a failed flush is
/// resent unchanged through the <see cref="FlushOutbox{TTarget, TBatch}"/>. What is lost is at most the
/// last second of counts of a process that dies.
/// </summary>
public sealed class TriggerStatsCollector(IGrainFactory grains, ILogger<TriggerStatsCollector> logger)
    : BackgroundService, ITriggerStatsSink
{
    public static readonly TimeSpan FlushInterval = PeriodicWork.FlushInterval;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, TriggerStats> _pending = new(StringComparer.Ordinal);
    private readonly FlushOutbox<string, TriggerStats> _outbox = new("trigger stats",
        (triggerId, flush, delta) => grains.GetGrain<ITriggerStatsGrain>(triggerId).AddBatchAsync(flush, delta), logger);

    public void Count(string triggerId, TriggerCounter counter, decimal revenue = 0)
    {
        ArgumentNullException.ThrowIfNull(triggerId);
        lock (_lock)
        {
            if (!_pending.TryGetValue(triggerId, out var stats)) _pending[triggerId] = stats = new TriggerStats();
            switch (counter)
            {
                case TriggerCounter.Fired: stats.Fired++; break;
                case TriggerCounter.Delivered: stats.Delivered++; break;
                case TriggerCounter.Shown: stats.Shown++; break;
                case TriggerCounter.Clicked: stats.Clicked++; break;
                case TriggerCounter.Dismissed: stats.Dismissed++; break;
                case TriggerCounter.Converted: stats.Converted++; stats.Revenue += revenue; break;
                case TriggerCounter.HoldoutAssigned: stats.HoldoutAssigned++; break;
                case TriggerCounter.HoldoutConverted: stats.HoldoutConverted++; stats.HoldoutRevenue += revenue; break;
            }
        }
    }

    /// <summary>Sends what was counted since the last flush (also called at shutdown and by tests).</summary>
    public Task FlushAsync() => _outbox.FlushAsync(sendable =>
    {
        lock (_lock) return FlushOutbox.TakeSendable(_pending, sendable);
    });

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicWork.RunAsync(FlushAsync, FlushInterval, logger, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PeriodicWork.FinalFlushAsync(FlushAsync, logger, cancellationToken);
    }
}

public static class TriggerStatsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the process's one collector. Idempotent: an embedded gateway hosts a silo in the same
    /// container and both ask for it.
    /// </summary>
    public static IServiceCollection AddTriggerStats(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(TriggerStatsCollector))) return services;
        services.AddSingleton<TriggerStatsCollector>();
        services.AddSingleton<ITriggerStatsSink>(sp => sp.GetRequiredService<TriggerStatsCollector>());
        services.AddHostedService(sp => sp.GetRequiredService<TriggerStatsCollector>());
        return services;
    }
}
