using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// The shopper grain's part in the recommendation model and NPS: it hands each new order to the silo's
/// <see cref="RecommendationCollector"/> and each NPS answer to the <see cref="NpsStatsCollector"/>
/// (memory-only adds, flushed in batches), and reads learned lists from the silo's
/// <see cref="RecommendationCache"/> before judging a trigger that needs them.
/// </summary>
public sealed partial class ShopperGrain
{
    // Held by ShopperServices, resolved there on first use.
    private RecommendationCollector Learning => services.Learning;
    private RecommendationCache RecommendationCache => services.RecommendationCache;
    private NpsStatsCollector NpsCounters => services.NpsCounters;

    /// <summary>
    /// The lines to learn from when <paramref name="e"/> is an order not seen before (checked before it
    /// is applied). A shopper who withdrew consent teaches the model nothing.
    /// </summary>
    private IReadOnlyList<OrderLine>? OrderToLearn(ShopperEvent e)
    {
        if (e.Type != EventTypes.Purchase || State.ConsentWithdrawn || State.OrderIds.Contains(e.OrderId!)) return null;
        if (e.Lines is { Count: > 0 } lines) return lines;
        return e.ProductId is { } product ? [new OrderLine { ProductId = product, CategoryId = e.CategoryId, Quantity = e.Quantity ?? 1 }] : null;
    }

    /// <summary>
    /// Counts an NPS answer in today's bucket. The latest answer of a shopper counts once per UTC day: a
    /// second answer the same day moves that shopper's one response to the new class; an answer on a
    /// later day is a new response. Called before the answer is applied, while the old score is known.
    /// </summary>
    private void CountNpsAnswer(ShopperEvent e, DateTimeOffset now)
    {
        if (e.Type != EventTypes.NpsResponse || e.Score is not { } score) return;
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var delta = State.NpsAnsweredOn == today && State.NpsScore is { } previous
            ? NpsCounts.Of(previous, -1).Plus(NpsCounts.Of(score))
            : NpsCounts.Of(score) with { Responses = 1 };
        State.NpsAnsweredOn = today;
        NpsCounters.Add(today, delta);
    }

    /// <summary>Looks up what the triggers about to be judged will recommend (none when no such trigger is woken).</summary>
    private async Task PrepareRecommendationsAsync(CompiledCatalog catalog, ShopperEvent? e)
    {
        var (alsoBought, trending) = ShopperModel.StrategiesNeeded(catalog, e?.Type);
        if (!alsoBought && !trending)
        {
            _model.Recommendations = RecommendationLists.Empty;
            return;
        }
        IReadOnlyList<string> also = alsoBought ? await RecommendationCache.GetAlsoBoughtAsync(_model.AlsoBoughtSeeds(e)) : [];
        IReadOnlyList<string> top = trending ? [.. (await RecommendationCache.GetTrendingAsync()).Select(p => p.ProductId)] : [];
        _model.Recommendations = new RecommendationLists(also, top);
    }
}
