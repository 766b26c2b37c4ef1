using Microsoft.Extensions.DependencyInjection;

namespace Personalize.Grains;

[GenerateSerializer, Alias("Personalize.ProductState")]
public sealed class ProductState : IFlushTargetState
{
    /// <summary>Orders that held this product and the other one, by the other product's id.</summary>
    [Id(0)] public Dictionary<string, long> CoPurchases { get; set; } = [];
    [Id(1)] public AppliedFlushes AppliedFlushes { get; set; } = new();
}

/// <summary>
/// "Customers who bought this also bought": co-purchase counts of one product, fed by each silo's
/// <see cref="RecommendationCollector"/> about once a second. Bounded: beyond
/// <see cref="MaxTracked"/> partners the least bought one gives way, so a long tail cannot grow the row;
/// a newcomer starts at the evicted count (the space-saving rule) so it can climb back in. Each silo's
/// batch counts once (<see cref="FlushTarget"/>).
/// </summary>
public sealed class ProductGrain(
    [PersistentState("product", GrainStorage.Default)] IPersistentState<ProductState> store,
    [FromKeyedServices(ProductClock.Key)] TimeProvider time)
    : Grain, IProductGrain
{
    public const int MaxTracked = 100;
    public const int MaxListed = 50;

    public Task AddCoPurchasesAsync(FlushId flush, IReadOnlyDictionary<string, long> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return store.ApplyOnceAsync(this, flush, time, state =>
        {
            foreach (var (other, n) in counts) Add(state.CoPurchases, other, n);
        });
    }

    public Task<IReadOnlyList<ProductCount>> GetAlsoBoughtAsync(int count) =>
        Task.FromResult(Top(store.State.CoPurchases, Math.Clamp(count, 0, MaxListed)));

    private static void Add(Dictionary<string, long> counts, string id, long n)
    {
        if (counts.TryGetValue(id, out var have))
        {
            counts[id] = have + n;
            return;
        }
        var floor = 0L;
        if (counts.Count >= MaxTracked)
        {
            var least = counts.MinBy(kv => (kv.Value, kv.Key));
            counts.Remove(least.Key);
            floor = least.Value;
        }
        counts[id] = floor + n;
    }

    public static IReadOnlyList<ProductCount> Top(IEnumerable<KeyValuePair<string, long>> counts, int count) =>
        [.. counts.Where(kv => kv.Value > 0)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal)
            .Take(count)
            .Select(kv => new ProductCount(kv.Key, kv.Value))];
}
