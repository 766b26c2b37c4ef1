using Personalize.Triggers;

namespace Personalize.Grains;

/// <summary>
/// The facts a trigger condition can read, answered from the shopper's state without allocating. One event
/// wakes up to hundreds of triggers asking much the same things, so within one judgement each numeric fact
/// is worked out once, each distinct condition is evaluated once (<see cref="ConditionMemo"/>), and every count question of the woken triggers is answered by one pass over the
/// click ring (<see cref="ClickTally"/>) the first time one is asked.
/// </summary>
public sealed partial class ShopperModel
{
    private ShopperEvent? _event;
    private DateTimeOffset _now;
    private CompiledCatalog _judged = CompiledCatalog.Empty;
    private string? _judgedEventType;

    // Answers memoised for the current judgement only: _judgement moves on at every BeginJudgement, and a
    // count answer is read only while its stamp equals it, so nothing is carried into the next event.
    private long _judgement;
    private bool _tallied;
    private ulong _numbersKnown;
    private readonly double?[] _numbers = new double?[(int)Fact.Count + 1];
    private long[] _countStamps = [];
    private ClickCount?[] _countKeys = [];
    private int[] _countValues = [];
    private readonly ClickTally _tally = new();
    private readonly ConditionMemo _conditions = new();

    /// <summary>
    /// Starts judging <paramref name="eventType"/> (idle triggers when null) at <paramref name="now"/>:
    /// forgets every memoised answer, as the state may have changed since the last one.
    /// </summary>
    private void BeginJudgement(CompiledCatalog catalog, string? eventType, DateTimeOffset now)
    {
        _judged = catalog;
        _judgedEventType = eventType;
        _now = now;
        _judgement++;
        _tallied = false;
        _numbersKnown = 0;
        _conditions.Begin(catalog);
        var slots = catalog.ClickCounts.Count;
        if (_countKeys.Length < slots)
        {
            // Grows with the catalog, never per event.
            _countKeys = new ClickCount?[slots];
            _countValues = new int[slots];
            _countStamps = new long[slots];
        }
    }

    private string? Text(Fact fact) => fact switch
    {
        Fact.EventType => _event?.Type,
        Fact.EventProductId => _event?.ProductId,
        Fact.EventCategoryId => _event?.CategoryId,
        Fact.EventChannel => _event is null ? null : _event.Channel ?? Channels.Web,
        Fact.ShopperNpsClass => NpsClass(State.NpsScore),
        _ => null,
    };

    private double? Number(Fact fact)
    {
        var bit = 1UL << (int)fact;
        if ((_numbersKnown & bit) != 0) return _numbers[(int)fact];
        var value = fact switch
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
        _numbers[(int)fact] = value;
        _numbersKnown |= bit;
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
        if (IsAnswered(count)) return _countValues[count.Slot];
        if (!_tallied)
        {
            _tallied = true;
            var plan = _judged.CountsFor(_judgedEventType);
            _tally.Count(_judged, plan, State.Clicks, _now, _countValues);
            foreach (var asked in plan.Counts)
            {
                _countKeys[asked.Slot] = asked;
                _countStamps[asked.Slot] = _judgement;
            }
            if (IsAnswered(count)) return _countValues[count.Slot];
        }
        // A question from outside the judged catalog (none today): answered directly.
        return CountClicks(count.Filter, _now - count.Window);
    }

    private bool IsAnswered(ClickCount count) =>
        count.Slot < _countKeys.Length && _countStamps[count.Slot] == _judgement && ReferenceEquals(_countKeys[count.Slot], count);

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
        public DateTimeOffset Now => model._now;

        public string? GetText(Fact fact) => model.Text(fact);

        public double? GetNumber(Fact fact) => model.Number(fact);

        public bool GetFlag(Fact fact) => model.Flag(fact);

        public bool BasketHasProduct(string productId) => model.BasketHasProduct(productId);

        public bool BasketHasCategory(string categoryId) => model.BasketHasCategory(categoryId);

        public int CountEvents(ClickCount count) => model.CountEvents(count);
    }
}
