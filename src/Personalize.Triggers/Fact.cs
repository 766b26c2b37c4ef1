namespace Personalize.Triggers;

/// <summary>Every value a condition can read. The shopper grain answers them through <see cref="IFactSource"/>.</summary>
public enum Fact
{
    EventType,
    EventProductId,
    EventCategoryId,
    EventChannel,
    EventPrice,
    EventOrderTotal,
    EventScore,
    BasketTotal,
    BasketCount,
    BasketHasProduct,
    BasketHasCategory,
    ShopperOrders,
    ShopperLifetimeValue,
    ShopperReferred,
    ShopperReferrals,
    ShopperNpsScore,
    ShopperNpsClass,
    ShopperIdentified,
    ShopperDaysSinceFirstSeen,
    Count,
}
