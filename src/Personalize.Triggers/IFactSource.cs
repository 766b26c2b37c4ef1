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

    /// <summary>
    /// Events in the shopper's click stream within <see cref="ClickCount.Window"/> of <see cref="Now"/> that
    /// match <see cref="ClickCount.Filter"/>. Many triggers of one event often ask the same question: a
    /// source may answer it once per event, keyed by <see cref="ClickCount.Slot"/>.
    /// </summary>
    int CountEvents(ClickCount count);
}
