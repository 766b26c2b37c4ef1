using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// The facts a trigger condition can read, answered from the shopper's state without allocating. One event
/// wakes up to hundreds of triggers asking much the same things, so within one judgement each numeric fact
/// is worked out once, the woken triggers are judged together so each distinct condition is evaluated at
/// most once (<see cref="TriggerDecision"/>, its answers kept in <see cref="ConditionMemo"/>), and every count
/// question of the woken triggers is answered from bit sets kept over the click ring (<see cref="ClickTally"/>)
/// the first time one is asked.
/// </summary>
public sealed partial class ShopperModel
{
    // Rented for one judgement (JudgementScratch says why); null between judgements.
    private JudgementScratch? _judging;
    // Made when a catalog first asks count questions: most catalogs ask none.
    private ClickTally? _tally;

    private JudgementScratch Judging => _judging ?? throw new InvalidOperationException("facts are read only while judging");

    /// <summary>
    /// Starts judging <paramref name="eventType"/> (idle triggers when null) at <paramref name="now"/>:
    /// forgets every memoised answer, as the state may have changed since the last one.
    /// </summary>
    private void BeginJudgement(CompiledCatalog catalog, string? eventType, DateTimeOffset now) => Judging.Begin(catalog, eventType, now);

    private string? Text(Fact fact)
    {
        var e = Judging.Event;
        return fact switch
        {
            Fact.EventType => e?.Type,
            Fact.EventProductId => e?.ProductId,
            Fact.EventCategoryId => e?.CategoryId,
            Fact.EventChannel => e is null ? null : e.Channel ?? Channels.Web,
            Fact.ShopperNpsClass => NpsClass(State.NpsScore),
            _ => null,
        };
    }

    private double? Number(Fact fact)
    {
        var judging = Judging;
        var bit = 1UL << (int)fact;
        if ((judging.NumbersKnown & bit) != 0) return judging.Numbers[(int)fact];
        var e = judging.Event;
        var value = fact switch
        {
            Fact.EventPrice => (double?)e?.Price,
            Fact.EventOrderTotal => (double?)e?.OrderTotal,
            Fact.EventScore => e?.Score,
            Fact.BasketTotal => (double)Basket.Total(State.Basket),
            Fact.BasketCount => Basket.Count(State.Basket),
            Fact.ShopperOrders => State.Orders,
            Fact.ShopperLifetimeValue => (double)State.LifetimeValue,
            Fact.ShopperReferrals => State.Referrals,
            Fact.ShopperNpsScore => State.NpsScore,
            Fact.ShopperDaysSinceFirstSeen => State.FirstSeen is { } first ? Math.Floor((judging.Now - first).TotalDays) : 0,
            _ => null,
        };
        judging.Numbers[(int)fact] = value;
        judging.NumbersKnown |= bit;
        return value;
    }

    private bool Flag(Fact fact) => fact switch
    {
        Fact.ShopperReferred => State.ReferredBy is not null,
        Fact.ShopperIdentified => State.Identified,
        _ => false,
    };

    private bool BasketHasProduct(string productId)
    {
        foreach (var line in State.Basket)
            if (line.ProductId == productId) return true;
        return false;
    }

    private bool BasketHasCategory(string categoryId)
    {
        foreach (var line in State.Basket)
            if (line.CategoryId == categoryId) return true;
        return false;
    }

    private int CountEvents(ClickCount count)
    {
        var judging = Judging;
        if (judging.IsAnswered(count)) return judging.CountValues[count.Slot];
        if (!judging.Tallied)
        {
            judging.Tallied = true;
            var plan = judging.Catalog.CountsFor(judging.EventType);
            if (!plan.Counts.IsEmpty)
                (_tally ??= new ClickTally()).Count(judging.Catalog, plan, State.Clicks, judging.Now, judging.CountValues);
            foreach (var asked in plan.Counts)
            {
                judging.CountKeys[asked.Slot] = asked;
                judging.CountStamps[asked.Slot] = judging.Stamp;
            }
            if (judging.IsAnswered(count)) return judging.CountValues[count.Slot];
        }
        // A question from outside the judged catalog (none today): answered directly.
        return CountClicks(count.Filter, judging.Now - count.Window);
    }

    /// <summary>Matching clicks, newest first, down to the first one older than <paramref name="since"/>.</summary>
    private int CountClicks(ClickFilter filter, DateTimeOffset since)
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

    /// <summary>
    /// The model as the evaluator sees it. A struct, so the evaluator's generic code is compiled for it
    /// and calls these directly instead of through the interface.
    /// </summary>
    private readonly struct Facts(ShopperModel model) : IFactSource
    {
        public DateTimeOffset Now => model.Judging.Now;

        public string? GetText(Fact fact) => model.Text(fact);

        public double? GetNumber(Fact fact) => model.Number(fact);

        public bool GetFlag(Fact fact) => model.Flag(fact);

        public bool BasketHasProduct(string productId) => model.BasketHasProduct(productId);

        public bool BasketHasCategory(string categoryId) => model.BasketHasCategory(categoryId);

        public int CountEvents(ClickCount count) => model.CountEvents(count);
    }
}
