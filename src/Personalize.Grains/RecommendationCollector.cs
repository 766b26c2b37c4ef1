using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// Learns from purchases off the hot path: a shopper grain hands each new order's products here (a
/// memory-only add), and about once a second this silo sends one batch per product to its
/// <see cref="IProductGrain"/> and one batch of hourly sales to the <see cref="ITrendingGrain"/>. Only
/// product counts are kept, never who bought. Each batch counts exactly once: a failed one is resent
/// unchanged through a <see cref="FlushOutbox{TTarget, TBatch}"/>. A silo that dies loses at most its
/// last second of learning.
/// </summary>
public sealed class RecommendationCollector(IGrainFactory grains, ILogger<RecommendationCollector> logger) : BackgroundService
{
    public static readonly TimeSpan FlushInterval = PeriodicWork.FlushInterval;

    /// <summary>Co-purchase pairs grow with the square of an order's products; a huge order teaches pairs of its first 50 only.</summary>
    public const int MaxProductsPerOrder = 50;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Dictionary<string, long>> _pairs = new(StringComparer.Ordinal);
    private Dictionary<DateTimeOffset, Dictionary<string, long>> _sales = [];
    private readonly FlushOutbox<string, Dictionary<string, long>> _products = new("co-purchases",
        (product, flush, counts) => grains.GetGrain<IProductGrain>(product).AddCoPurchasesAsync(flush, counts), logger);
    private readonly FlushOutbox<long, Dictionary<DateTimeOffset, Dictionary<string, long>>> _trending = new("hourly sales",
        (key, flush, sales) => grains.GetGrain<ITrendingGrain>(key).AddSalesAsync(flush, sales), logger);

    /// <summary>Counts one order: each product with each other product of it, and the units sold in its hour.</summary>
    public void AddOrder(IReadOnlyList<OrderLine> lines, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var units = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            if (units.Count >= MaxProductsPerOrder && !units.ContainsKey(line.ProductId)) continue;
            units[line.ProductId] = units.GetValueOrDefault(line.ProductId) + Math.Max(1, line.Quantity);
        }
        if (units.Count == 0) return;
        var hour = TrendingWindow.HourOf(at);
        lock (_lock)
        {
            if (!_sales.TryGetValue(hour, out var sold)) _sales[hour] = sold = new(StringComparer.Ordinal);
            foreach (var (product, n) in units) sold[product] = sold.GetValueOrDefault(product) + n;
            foreach (var product in units.Keys)
            {
                if (units.Count == 1) break;
                if (!_pairs.TryGetValue(product, out var others)) _pairs[product] = others = new(StringComparer.Ordinal);
                foreach (var other in units.Keys)
                    if (other != product) others[other] = others.GetValueOrDefault(other) + 1;
            }
        }
    }

    /// <summary>Sends what was learned since the last flush (also called at shutdown, by the API of an embedded gateway and by tests).</summary>
    public async Task FlushAsync()
    {
        await _products.FlushAsync(sendable =>
        {
            lock (_lock) return FlushOutbox.TakeSendable(_pairs, sendable);
        });
        await _trending.FlushAsync(sendable =>
        {
            lock (_lock) return FlushOutbox.TakeAll(0, ref _sales, sendable);
        });
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => PeriodicWork.RunAsync(FlushAsync, FlushInterval, logger, stoppingToken);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await PeriodicWork.FinalFlushAsync(FlushAsync, logger, cancellationToken);
    }
}

public static class TrendingWindow
{
    public static readonly TimeSpan Bucket = TimeSpan.FromHours(1);
    public const int Buckets = 24;

    public static DateTimeOffset HourOf(DateTimeOffset at)
    {
        var utc = at.ToUniversalTime();
        return new DateTimeOffset(utc.Year, utc.Month, utc.Day, utc.Hour, 0, 0, TimeSpan.Zero);
    }
}
