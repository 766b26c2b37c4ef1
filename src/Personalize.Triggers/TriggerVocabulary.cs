using System.Collections.Frozen;

namespace Personalize.Triggers;

/// <summary>The closed word lists of the trigger language (CONTRACT §4), shared by the parser and its callers.</summary>
public static class TriggerVocabulary
{
    public const int MaxIdLength = 64;
    public const int MaxNameLength = 200;
    public const int MaxWindowSeconds = 2_592_000; // 30 days: the longest click stream a shopper keeps.
    public const int MaxConditions = 32;
    public const int MaxDepth = 4;
    public const int MaxSetSize = 1000;
    public const int MaxTextValueLength = 200;
    public const int DefaultTtlSeconds = 1800;
    public const int MaxTtlSeconds = 604_800;
    public const int DefaultRecommendationCount = 4;
    public const int MaxRecommendationCount = 20;

    public static IReadOnlyList<string> EventTypes { get; } =
    [
        "page_view", "product_view", "search", "add_to_cart", "remove_from_cart", "checkout_started", "purchase",
        "referral_landing", "share", "nps_response", "nudge_shown", "nudge_clicked", "nudge_dismissed", "consent", "refund",
    ];

    public static IReadOnlyList<string> Channels { get; } = ["web", "app", "pos", "email"];

    public static IReadOnlyList<string> NpsClasses { get; } = ["promoter", "passive", "detractor"];

    public static IReadOnlyList<string> Ops { get; } = ["eq", "ne", "gt", "gte", "lt", "lte", "in", "notIn", "exists"];

    public static IReadOnlyList<string> ActionTypes { get; } = ["offer", "referralPrompt", "recommendations", "survey"];

    public static IReadOnlyList<string> DiscountKinds { get; } = ["percent", "amount", "freeShipping"];

    public static IReadOnlyList<string> Strategies { get; } = ["alsoBought", "trending", "recentlyViewed"];

    public static IReadOnlyList<string> Surveys { get; } = ["nps"];

    /// <summary>JSON fact names to <see cref="Fact"/>; "count" is the click-stream counter.</summary>
    public static FrozenDictionary<string, Fact> Facts { get; } = new Dictionary<string, Fact>
    {
        ["event.type"] = Fact.EventType,
        ["event.productId"] = Fact.EventProductId,
        ["event.categoryId"] = Fact.EventCategoryId,
        ["event.channel"] = Fact.EventChannel,
        ["event.price"] = Fact.EventPrice,
        ["event.orderTotal"] = Fact.EventOrderTotal,
        ["event.score"] = Fact.EventScore,
        ["basket.total"] = Fact.BasketTotal,
        ["basket.count"] = Fact.BasketCount,
        ["basket.hasProduct"] = Fact.BasketHasProduct,
        ["basket.hasCategory"] = Fact.BasketHasCategory,
        ["shopper.orders"] = Fact.ShopperOrders,
        ["shopper.lifetimeValue"] = Fact.ShopperLifetimeValue,
        ["shopper.referred"] = Fact.ShopperReferred,
        ["shopper.referrals"] = Fact.ShopperReferrals,
        ["shopper.npsScore"] = Fact.ShopperNpsScore,
        ["shopper.npsClass"] = Fact.ShopperNpsClass,
        ["shopper.identified"] = Fact.ShopperIdentified,
        ["shopper.daysSinceFirstSeen"] = Fact.ShopperDaysSinceFirstSeen,
        ["count"] = Fact.Count,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>How a fact's value is read and which ops it accepts.</summary>
    public static FactKind KindOf(Fact fact) => fact switch
    {
        Fact.EventType or Fact.EventProductId or Fact.EventCategoryId or Fact.EventChannel or Fact.ShopperNpsClass => FactKind.Text,
        Fact.ShopperReferred or Fact.ShopperIdentified => FactKind.Flag,
        Fact.BasketHasProduct or Fact.BasketHasCategory => FactKind.Membership,
        Fact.Count => FactKind.Count,
        _ => FactKind.Number,
    };

    /// <summary>The values a text fact may take, or null when any string is allowed.</summary>
    public static IReadOnlyList<string>? AllowedTexts(Fact fact) => fact switch
    {
        Fact.EventType => EventTypes,
        Fact.EventChannel => Channels,
        Fact.ShopperNpsClass => NpsClasses,
        _ => null,
    };
}

public enum FactKind
{
    Number,
    Text,
    Flag,
    Membership,
    Count,
}
