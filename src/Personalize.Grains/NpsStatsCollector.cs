using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// Aggregates NPS answers on this silo by UTC day and flushes them to <see cref="INpsStatsGrain"/> about
/// once a second, so no grain is called per answer. Each answer counts exactly once: a flush that fails
/// is resent unchanged through the <see cref="FlushOutbox{TTarget, TBatch}"/>, and answers given since
/// wait for the flush after it is answered.
/// </summary>
public sealed class NpsStatsCollector(IGrainFactory grains, ILogger<NpsStatsCollector> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = PeriodicWork.FlushInterval;

    private readonly Lock _lock = new();
    private Dictionary<DateOnly, NpsCounts> _pending = [];
    private readonly FlushOutbox<long, Dictionary<DateOnly, NpsCounts>> _outbox = new("NPS answers",
        (key, flush, batch) => grains.GetGrain<INpsStatsGrain>(key).AddBatchAsync(flush, batch), logger);

    public void Add(DateOnly day, NpsCounts delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (_lock) _pending[day] = _pending.GetValueOrDefault(day, NpsCounts.Zero).Plus(delta);
    }

    /// <summary>Sends what accumulated since the last flush.</summary>
    public Task FlushAsync() => _outbox.FlushAsync(sendable =>
    {
        lock (_lock) return FlushOutbox.TakeAll(0, ref _pending, sendable);
    });

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicWork.RunAsync(FlushAsync, FlushInterval, logger, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PeriodicWork.FinalFlushAsync(FlushAsync, logger, cancellationToken);
    }
}
