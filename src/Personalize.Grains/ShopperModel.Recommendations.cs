using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// The <c>recommendations</c> action's product lists. Judging never calls out, so the grain looks up
/// what the learned model says before judging (<see cref="Recommendations"/>) and the model only picks
/// from it; the simulator leaves the lists empty.
/// </summary>
public sealed partial class ShopperModel
{
    /// <summary>At most this many basket or event products seed an also-bought lookup.</summary>
    public const int MaxAlsoBoughtSeeds = 5;

    /// <summary>What the recommendation model says for this judgement; set by the grain before judging.</summary>
    public RecommendationLists Recommendations { get; set; } = RecommendationLists.Empty;

    /// <summary>Which strategies the triggers woken by <paramref name="eventType"/> (or idle triggers when null) use.</summary>
    public static (bool AlsoBought, bool Trending) StrategiesNeeded(CompiledCatalog catalog, string? eventType)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        bool alsoBought = false, trending = false;
        foreach (var strategy in catalog.RecommendationStrategies(eventType))
        {
            alsoBought |= strategy == RecommendationStrategies.AlsoBought;
            trending |= strategy == RecommendationStrategies.Trending;
        }
        return (alsoBought, trending);
    }

    /// <summary>
    /// The products "also bought" is asked about: the event's product and order lines first, then the
    /// basket, newest line first. Bounded so one judgement costs a few cached look-ups at most.
    /// </summary>
    public List<string> AlsoBoughtSeeds(ShopperEvent? e)
    {
        var seeds = new List<string>(MaxAlsoBoughtSeeds);
        if (e?.ProductId is { } product) Add(product);
        if (e?.Lines is { } lines)
            foreach (var line in lines) Add(line.ProductId);
        for (var i = State.Basket.Count - 1; i >= 0; i--) Add(State.Basket[i].ProductId);
        return seeds;

        void Add(string id)
        {
            if (seeds.Count < MaxAlsoBoughtSeeds && !seeds.Contains(id)) seeds.Add(id);
        }
    }

    private List<string> RecommendedProducts(string? strategy, int count) => strategy switch
    {
        RecommendationStrategies.AlsoBought => Pick(Recommendations.AlsoBought, count),
        RecommendationStrategies.Trending => Pick(Recommendations.Trending, count),
        _ => RecentlyViewed(count),
    };

    /// <summary>The first <paramref name="count"/> products of a ranked list that are not in the basket.</summary>
    private List<string> Pick(IReadOnlyList<string> ranked, int count)
    {
        var ids = new List<string>(count);
        foreach (var id in ranked)
        {
            if (ids.Count >= count) break;
            if (!ids.Contains(id) && !BasketHasProduct(id)) ids.Add(id);
        }
        return ids;
    }
}

public static class RecommendationStrategies
{
    public const string AlsoBought = "alsoBought";
    public const string Trending = "trending";
    public const string RecentlyViewed = "recentlyViewed";
}

/// <summary>Ranked product ids from the learned model: also-bought (merged over the seeds) and trending.</summary>
public sealed record RecommendationLists(IReadOnlyList<string> AlsoBought, IReadOnlyList<string> Trending)
{
    public static readonly RecommendationLists Empty = new([], []);
}
