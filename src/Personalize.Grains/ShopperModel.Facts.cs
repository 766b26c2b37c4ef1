using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>The facts a trigger condition can read, answered from the shopper's state without allocating.</summary>
public sealed partial class ShopperModel : IFactSource
{
    private ShopperEvent? _event;
    private DateTimeOffset _now;

    DateTimeOffset IFactSource.Now => _now;

    string? IFactSource.GetText(Fact fact) => fact switch
    {
        Fact.EventType => _event?.Type,
        Fact.EventProductId => _event?.ProductId,
        Fact.EventCategoryId => _event?.CategoryId,
        Fact.EventChannel => _event is null ? null : _event.Channel ?? Channels.Web,
        Fact.ShopperNpsClass => NpsClass(State.NpsScore),
        _ => null,
    };

    double? IFactSource.GetNumber(Fact fact) => fact switch
    {
        Fact.EventPrice => (double?)_event?.Price,
        Fact.EventOrderTotal => (double?)_event?.OrderTotal,
        Fact.EventScore => _event?.Score,
        Fact.BasketTotal => (double)Basket.Total(State.Basket),
        Fact.BasketCount => Basket.Count(State.Basket),
        Fact.ShopperOrders => State.Orders,
        Fact.ShopperLifetimeValue => (double)State.LifetimeValue,
        Fact.ShopperReferrals => State.Referrals,
        Fact.ShopperNpsScore => State.NpsScore,
        Fact.ShopperDaysSinceFirstSeen => State.FirstSeen is { } first ? Math.Floor((_now - first).TotalDays) : 0,
        _ => null,
    };

    bool IFactSource.GetFlag(Fact fact) => fact switch
    {
        Fact.ShopperReferred => State.ReferredBy is not null,
        Fact.ShopperIdentified => State.Identified,
        _ => false,
    };

    bool IFactSource.BasketHasProduct(string productId)
    {
        foreach (var line in State.Basket)
            if (line.ProductId == productId) return true;
        return false;
    }

    bool IFactSource.BasketHasCategory(string categoryId)
    {
        foreach (var line in State.Basket)
            if (line.CategoryId == categoryId) return true;
        return false;
    }

    int IFactSource.CountEvents(ClickFilter filter, DateTimeOffset since)
    {
        var count = 0;
        var clicks = State.Clicks;
        for (var i = clicks.Count - 1; i >= 0; i--)
        {
            var click = clicks[i];
            if (click.At < since) break;
            if (filter.Matches(click.Type, click.ProductId, click.CategoryId, click.Channel ?? Channels.Web)) count++;
        }
        return count;
    }

    public static string? NpsClass(int? score) => score switch
    {
        null => null,
        >= 9 => "promoter",
        >= 7 => "passive",
        _ => "detractor",
    };
}
