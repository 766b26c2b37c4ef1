using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.TrendingState")]
public sealed class TrendingState : IFlushTargetState
{
    /// <summary>Units sold per product, by the UTC hour they were sold in; only the last 24 hours are kept.</summary>
    [Id(0)] public Dictionary<DateTimeOffset, Dictionary<string, long>> Hours { get; set; } = [];
    [Id(1)] public AppliedFlushes AppliedFlushes { get; set; } = new();
}

/// <summary>
/// Bestsellers over a sliding 24 h window in hourly buckets. One grain for the cluster, which is fine
/// because it is called about once a second per silo (batched) and read through each silo's cache.
/// Each silo's batch counts once (<see cref="FlushTarget"/>).
/// </summary>
public sealed class TrendingGrain(
    [PersistentState("trending", GrainStorage.Default)] IPersistentState<TrendingState> store,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time)
    : Grain, ITrendingGrain
{
    /// <summary>Products kept per hour: the long tail of an hour is never a bestseller.</summary>
    public const int MaxProductsPerHour = 500;

    public Task AddSalesAsync(FlushId flush, IReadOnlyDictionary<DateTimeOffset, Dictionary<string, long>> unitsByHour)
    {
        ArgumentNullException.ThrowIfNull(unitsByHour);
        return store.ApplyOnceAsync(this, flush, time, state =>
        {
            var oldest = OldestHour();
            foreach (var (hour, units) in unitsByHour)
            {
                if (hour < oldest) continue;
                if (!state.Hours.TryGetValue(hour, out var sold)) state.Hours[hour] = sold = [];
                foreach (var (product, n) in units) sold[product] = sold.GetValueOrDefault(product) + n;
                if (sold.Count > MaxProductsPerHour)
                    foreach (var drop in sold.OrderBy(kv => kv.Value).Take(sold.Count - MaxProductsPerHour).ToList())
                        sold.Remove(drop.Key);
            }
            foreach (var stale in state.Hours.Keys.Where(h => h < oldest).ToList()) state.Hours.Remove(stale);
        });
    }

    public Task<IReadOnlyList<ProductCount>> GetTrendingAsync(int count)
    {
        var oldest = OldestHour();
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (hour, units) in store.State.Hours)
        {
            if (hour < oldest) continue;
            foreach (var (product, n) in units) totals[product] = totals.GetValueOrDefault(product) + n;
        }
        return Task.FromResult(ProductGrain.Top(totals, Math.Clamp(count, 0, ProductGrain.MaxListed)));
    }

    /// <summary>The first hour bucket inside the window: the current hour and the 23 before it.</summary>
    private DateTimeOffset OldestHour() =>
        TrendingWindow.HourOf(time.GetUtcNow()) - TrendingWindow.Bucket * (TrendingWindow.Buckets - 1);
}
