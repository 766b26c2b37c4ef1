using System.Runtime.InteropServices;

namespace Personalize.Grains;

/// <summary>
/// The rules of one shopper, without Orleans: accepting an event (idempotency, timestamps), applying it
/// to basket, orders and click ring, and judging it against triggers (ShopperModel.Judge.cs). The
/// shopper grain wraps it with storage, timers and observers; the trigger simulator runs it on a
/// fresh state in memory. One set of rules, two hosts.
/// </summary>
public sealed partial class ShopperModel
{
    private readonly NudgeOptions _options;
    private readonly ITriggerStatsSink _stats;
    private readonly bool _applyHoldout;

    /// <param name="applyHoldout">false in the simulator: a held-out shopper still gets the push, flagged.</param>
    public ShopperModel(string shopperId, ShopperState state, NudgeOptions options, ITriggerStatsSink stats, bool applyHoldout = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        ShopperId = shopperId;
        State = state;
        _options = options;
        _stats = stats;
        _applyHoldout = applyHoldout;
    }

    public string ShopperId { get; }

    public ShopperState State { get; }

    /// <summary>
    /// Stamps the event, shares its id strings (<see cref="StampAndShareIds"/>) and remembers its id; null when the id
    /// was seen before (a duplicate).
    /// </summary>
    public ShopperEvent? Accept(ShopperEvent shopperEvent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(shopperEvent);
        var idHash = EventIdHash.Of(shopperEvent.Id);
        // A linear search over at most 256 longs (vectorized) costs less than a hash set kept per shopper.
        if (CollectionsMarshal.AsSpan(State.SeenEventIds).Contains(idHash)) return null;
        var e = StampAndShareIds(shopperEvent, State.Clicks, now);
        RememberEventId(idHash);
        State.FirstSeen ??= now;
        // Nudge reports and consent come from the storefront, not the shopper: counting them as activity
        // would let an idle push's own nudge_shown start a new idle spell and fire it again.
        if (!IsReport(e.Type)) State.LastEventAt = now;
        return e;
    }

    /// <summary>Applies the event to basket, orders and click ring; true when the change must be stored before answering.</summary>
    public bool Apply(ShopperEvent e, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(e);
        switch (e.Type)
        {
            case EventTypes.Consent:
                State.ConsentWithdrawn = e.Granted == false;
                if (State.ConsentWithdrawn) State.Clicks.Clear();
                return true;
            case EventTypes.AddToCart:
                Basket.Add(State.Basket, e.ProductId!, e.CategoryId, e.Quantity ?? 1, e.Price);
                RecordClick(e);
                return true;
            case EventTypes.RemoveFromCart:
                Basket.Remove(State.Basket, e.ProductId!, e.Quantity ?? 1);
                RecordClick(e);
                return true;
            case EventTypes.Purchase:
                RecordClick(e);
                if (State.OrderIds.Contains(e.OrderId!)) return true;
                AddBounded(State.OrderIds, e.OrderId!, ShopperLimits.OrderIds);
                State.Orders++;
                State.LifetimeValue += e.OrderTotal ?? 0;
                State.Basket.Clear();
                CountConversions(e.OrderTotal ?? 0, now);
                return true;
            case EventTypes.NpsResponse:
                State.NpsScore = e.Score;
                RecordClick(e);
                return true;
            case EventTypes.NudgeShown or EventTypes.NudgeClicked or EventTypes.NudgeDismissed:
                // Losing this on a crash only means the push is shown again: delivery is at least once.
                if (State.PendingOutbox.Count > 0) State.Outbox.RemoveAll(n => n.Id == e.NudgeId);
                CountReport(e);
                RecordClick(e);
                return false;
            default:
                RecordClick(e);
                return false;
        }
    }

    /// <summary>
    /// Drops the spare capacity of the lists every shopper has (a list doubles as it grows, so a shopper
    /// with six clicks kept room for eight) and the click tally of count conditions. A full ring stays
    /// trimmed: it drops one item per item added.
    /// </summary>
    public void TrimExcess()
    {
        // The click tally too: a shopper in a lull gives it back, and the next count rebuilds it in one pass.
        _tally = null;
        Trim(State.Clicks);
        Trim(State.SeenEventIds);
        Trim(State.Basket);
    }

    // List.TrimExcess keeps up to 10% slack: seven items in room for eight stay as they are.
    private static void Trim<T>(List<T> list)
    {
        if (list.Capacity > list.Count) list.Capacity = list.Count;
    }

    public void PruneOutbox(DateTimeOffset now)
    {
        if (State.PendingOutbox.Count > 0) State.Outbox.RemoveAll(n => n.ExpiresAt <= now);
    }

    private static bool IsReport(string type) =>
        type is EventTypes.NudgeShown or EventTypes.NudgeClicked or EventTypes.NudgeDismissed or EventTypes.Consent;

    private void RecordClick(ShopperEvent e)
    {
        if (State.ConsentWithdrawn) return;
        var clicks = State.Clicks;
        if (clicks.Count < ShopperLimits.ClickRing)
        {
            clicks.Add(Click.From(e));
            return;
        }
        // A full ring: the click falling off its start becomes the new one at its end (Click.Overwrite).
        var reused = clicks[0];
        clicks.RemoveAt(0);
        reused.Overwrite(e);
        clicks.Add(reused);
    }

    /// <summary>
    /// A product or category id parsed from JSON is a new string each time; a shopper who views a product,
    /// then adds it to the basket, would keep two equal copies, and so would every shopper who viewed it.
    /// The newest clicks' copy is used instead, else the process's (<see cref="SharedIds"/>).
    /// </summary>
    /// <remarks>
    /// The arrival time is stamped in the same copy (an event sent without <c>at</c> gets <paramref name="now"/>),
    /// so an event costs one copy at most, not one for each.
    /// </remarks>
    private static ShopperEvent StampAndShareIds(ShopperEvent e, List<Click> clicks, DateTimeOffset now)
    {
        var product = Known(clicks, e.ProductId, category: false);
        var category = Known(clicks, e.CategoryId, category: true);
        var query = SharedIds.Share(e.Query);
        return e.At is not null && ReferenceEquals(product, e.ProductId) && ReferenceEquals(category, e.CategoryId) && ReferenceEquals(query, e.Query)
            ? e
            : e with { At = e.At ?? now, ProductId = product, CategoryId = category, Query = query };
    }

    private static string? Known(List<Click> clicks, string? id, bool category)
    {
        if (id is null) return null;
        for (var i = clicks.Count - 1; i >= 0 && i >= clicks.Count - ShareIdsLookBack; i--)
        {
            var known = category ? clicks[i].CategoryId : clicks[i].ProductId;
            if (known is not null && string.Equals(known, id, StringComparison.Ordinal)) return known;
        }
        return SharedIds.Share(id);
    }

    private const int ShareIdsLookBack = 16;

    private void RememberEventId(ulong idHash) => AddBounded(State.SeenEventIds, idHash, ShopperLimits.SeenEventIds);

    private static void AddBounded<T>(List<T> list, T item, int cap)
    {
        if (list.Count >= cap) list.RemoveAt(0);
        list.Add(item);
    }

    /// <summary>A nudge_* report counts once per push and kind; a report for a push we never sent counts nothing.</summary>
    private void CountReport(ShopperEvent e)
    {
        var sent = State.SentNudges.Find(n => n.NudgeId == e.NudgeId);
        if (sent is null) return;
        var (report, counter) = e.Type switch
        {
            EventTypes.NudgeShown => (NudgeReports.Shown, TriggerCounter.Shown),
            EventTypes.NudgeClicked => (NudgeReports.Clicked, TriggerCounter.Clicked),
            _ => (NudgeReports.Dismissed, TriggerCounter.Dismissed),
        };
        if ((sent.Reported & report) != 0) return;
        sent.Reported |= report;
        _stats.Count(sent.TriggerId, counter);
    }

    /// <summary>
    /// A purchase within 24 h of a trigger's last touch (push or holdout assignment) is that trigger's
    /// conversion, once per touch: <see cref="TriggerMemory.Converted"/> is reset by each new touch.
    /// </summary>
    private void CountConversions(decimal revenue, DateTimeOffset now)
    {
        foreach (var (triggerId, memory) in State.Triggers)
        {
            if (memory.Converted) continue;
            var heldOut = memory.HoldoutAt is { } h && (memory.LastFiredAt is not { } f || h > f);
            var touch = heldOut ? memory.HoldoutAt : memory.LastFiredAt;
            if (touch is not { } at || now - at > ConversionWindow || now < at) continue;
            memory.Converted = true;
            _stats.Count(triggerId, heldOut ? TriggerCounter.HoldoutConverted : TriggerCounter.Converted, revenue);
        }
    }

    public static readonly TimeSpan ConversionWindow = TimeSpan.FromHours(24);
}
