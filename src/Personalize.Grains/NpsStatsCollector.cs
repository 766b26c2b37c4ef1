using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// Aggregates NPS answers on this silo by UTC day and flushes them to <see cref="INpsStatsGrain"/> about
/// once a second, so no grain is called per answer. A flush that fails is added back and sent next time.
/// </summary>
public sealed partial class NpsStatsCollector(IGrainFactory grains, ILogger<NpsStatsCollector> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = PeriodicWork.FlushInterval;

    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _flushLock = new(1, 1);
    private Dictionary<DateOnly, NpsCounts> _pending = [];

    public void Add(DateOnly day, NpsCounts delta)
    {
        ArgumentNullException.ThrowIfNull(delta);
        lock (_lock) _pending[day] = _pending.GetValueOrDefault(day, NpsCounts.Zero).Plus(delta);
    }

    /// <summary>Sends what accumulated since the last flush.</summary>
    public async Task FlushAsync()
    {
        await _flushLock.WaitAsync();
        try
        {
            Dictionary<DateOnly, NpsCounts> batch;
            lock (_lock)
            {
                if (_pending.Count == 0) return;
                (batch, _pending) = (_pending, []);
            }
            try
            {
                await grains.GetGrain<INpsStatsGrain>(0).AddAsync(batch);
            }
            catch
            {
                foreach (var (day, delta) in batch) Add(day, delta);
                throw;
            }
        }
        finally
        {
            _flushLock.Release();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicWork.RunAsync(FlushAsync, FlushInterval, logger, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PeriodicWork.FinalFlushAsync(FlushAsync, logger, cancellationToken);
    }
}
