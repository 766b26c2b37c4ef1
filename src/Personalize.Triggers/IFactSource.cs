namespace Personalize.Triggers;

/// <summary>
/// What a trigger may know about the shopper and the event being handled. The shopper grain implements it;
/// evaluation calls it on the hot path, so implementations must answer without allocating.
/// </summary>
public interface IFactSource
{
    DateTimeOffset Now { get; }

    /// <summary>EventType, EventProductId, EventCategoryId, EventChannel, ShopperNpsClass; null when absent.</summary>
    string? GetText(Fact fact);

    /// <summary>The numeric facts (prices, totals, counters, scores); null when absent.</summary>
    double? GetNumber(Fact fact);

    /// <summary>ShopperReferred, ShopperIdentified.</summary>
    bool GetFlag(Fact fact);

    bool BasketHasProduct(string productId);

    bool BasketHasCategory(string categoryId);

    /// <summary>Events in the shopper's click stream at or after <paramref name="since"/> that match <paramref name="filter"/>.</summary>
    int CountEvents(ClickFilter filter, DateTimeOffset since);
}
