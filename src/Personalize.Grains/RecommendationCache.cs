using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// This silo's short-lived copy of what the recommendation model answers, so building a
/// recommendations push costs a dictionary read, not a grain call per event: also-bought lists per
/// product and the trending list live for <see cref="Ttl"/>. Bounded: past <see cref="MaxProducts"/>
/// entries the cache starts over. A failed look-up answers an empty list: a push with fewer products
/// is better than a failed event.
/// </summary>
public sealed partial class RecommendationCache(IGrainFactory grains, [FromKeyedServices(ProductClock.Key)] TimeProvider time, ILogger<RecommendationCache> logger)
{
    public static readonly TimeSpan Ttl = TimeSpan.FromSeconds(2);
    public const int MaxProducts = 10_000;
    /// <summary>How many entries of each list are kept and merged; a push asks for a handful.</summary>
    public const int ListLength = 20;

    private readonly ConcurrentDictionary<string, Entry> _alsoBought = new(StringComparer.Ordinal);
    private volatile Entry? _trending;

    private sealed record Entry(IReadOnlyList<ProductCount> Products, DateTimeOffset Until);

    public async ValueTask<IReadOnlyList<ProductCount>> GetAlsoBoughtAsync(string productId)
    {
        var now = time.GetUtcNow();
        if (_alsoBought.TryGetValue(productId, out var hit) && hit.Until > now) return hit.Products;
        var products = await TryLoadAsync(() => grains.GetGrain<IProductGrain>(productId).GetAlsoBoughtAsync(ListLength), productId);
        if (_alsoBought.Count >= MaxProducts) _alsoBought.Clear();
        _alsoBought[productId] = new Entry(products, now + Ttl);
        return products;
    }

    public async ValueTask<IReadOnlyList<ProductCount>> GetTrendingAsync()
    {
        var now = time.GetUtcNow();
        if (_trending is { } hit && hit.Until > now) return hit.Products;
        var products = await TryLoadAsync(() => grains.GetGrain<ITrendingGrain>(0).GetTrendingAsync(ListLength), "trending");
        _trending = new Entry(products, now + Ttl);
        return products;
    }

    /// <summary>Also-bought over several products: counts summed, the products themselves left out.</summary>
    public async ValueTask<IReadOnlyList<string>> GetAlsoBoughtAsync(IReadOnlyList<string> seeds)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var seed in seeds)
            foreach (var p in await GetAlsoBoughtAsync(seed))
                if (!seeds.Contains(p.ProductId)) totals[p.ProductId] = totals.GetValueOrDefault(p.ProductId) + p.Count;
        return [.. ProductGrain.Top(totals, ListLength).Select(p => p.ProductId)];
    }

    private async Task<IReadOnlyList<ProductCount>> TryLoadAsync(Func<Task<IReadOnlyList<ProductCount>>> load, string what)
    {
        try
        {
            return await load();
        }
        catch (Exception ex) when (ex is OrleansException or TimeoutException)
        {
            LogWarningLookupFailed(ex, what);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking up recommendations for {What} failed; the push goes without them")]
    private partial void LogWarningLookupFailed(Exception ex, string what);
}
