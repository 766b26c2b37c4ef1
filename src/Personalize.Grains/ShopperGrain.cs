using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Utilities;

namespace Personalize.Grains;

/// <summary>
/// One grain per shopper. Applies each event, judges it against the silo's compiled triggers, and
/// pushes at most one nudge to every gateway that holds a connection of this shopper. Everything an
/// answer acknowledges is written before the answer; click-only changes are written lazily.
/// </summary>
public sealed partial class ShopperGrain(
    [PersistentState("shopper", GrainStorage.Default)] IPersistentState<ShopperState> store,
    TriggerCatalogCache catalogs,
    TimeProvider time,
    IOptions<NudgeOptions> nudgeOptions,
    ILogger<ShopperGrain> logger) : Grain, IShopperGrain
{
    /// <summary>Gateways renew every 30 s; a gateway that died stops receiving after two minutes.</summary>
    public static readonly TimeSpan SubscriptionExpiry = TimeSpan.FromMinutes(2);

    private readonly ObserverManager<IShopperObserver> _observers = new(SubscriptionExpiry, logger);
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly NudgeOptions _options = nudgeOptions.Value;
    private ShopperState State => store.State;
    private string ShopperId => this.GetPrimaryKeyString();
    private bool _dirty;
    private IGrainTimer? _flushTimer;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _seen.UnionWith(State.SeenEventIds);
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await WriteAsync();
    }

    public async Task<TrackResult> TrackAsync(ShopperEvent shopperEvent)
    {
        ArgumentNullException.ThrowIfNull(shopperEvent);
        var problems = ShopperEventValidator.Validate(shopperEvent, fromServer: true);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}")));

        if (_seen.Contains(shopperEvent.Id)) return new TrackResult(Accepted: true, Duplicate: true);

        var now = time.GetUtcNow();
        var e = shopperEvent.At is null ? shopperEvent with { At = now } : shopperEvent;
        RememberEventId(e.Id);
        State.FirstSeen ??= now;
        State.LastEventAt = now;

        var durable = Apply(e, now);
        var (nudge, judged) = await JudgeAsync(e, now);
        durable |= judged;

        if (durable) await WriteAsync();
        else ScheduleLazyWrite();

        if (nudge is not null) await PushToObserversAsync(nudge);
        return new TrackResult(Accepted: true, Duplicate: false);
    }

    public Task<ShopperView> GetStateAsync()
    {
        PruneOutbox(time.GetUtcNow());
        return Task.FromResult(BuildView());
    }

    public Task<bool> ExistsAsync() => Task.FromResult(store.RecordExists || State.FirstSeen is not null);

    public Task<Subscription> SubscribeAsync(IShopperObserver observer)
    {
        var isNew = !_observers.Observers.ContainsKey(observer);
        _observers.Subscribe(observer, observer);
        PruneOutbox(time.GetUtcNow());
        return Task.FromResult(new Subscription(isNew, [.. State.Outbox]));
    }

    public Task UnsubscribeAsync(IShopperObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task EraseAsync()
    {
        _dirty = false;
        _seen.Clear();
        await store.ClearStateAsync();
        store.State = new ShopperState();
        DeactivateOnIdle();
    }

    /// <summary>Applies the event to basket, orders and click ring; true when the change must be stored before answering.</summary>
    private bool Apply(ShopperEvent e, DateTimeOffset now)
    {
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
                return true;
            case EventTypes.NpsResponse:
                State.NpsScore = e.Score;
                RecordClick(e);
                return true;
            case EventTypes.NudgeShown or EventTypes.NudgeClicked or EventTypes.NudgeDismissed:
                // Losing this on a crash only means the push is shown again: delivery is at least once.
                State.Outbox.RemoveAll(n => n.Id == e.NudgeId);
                RecordClick(e);
                return false;
            default:
                RecordClick(e);
                return false;
        }
    }

    private void RecordClick(ShopperEvent e)
    {
        if (State.ConsentWithdrawn) return;
        AddBounded(State.Clicks, e, ShopperLimits.ClickRing);
    }

    private void RememberEventId(string id)
    {
        _seen.Add(id);
        State.SeenEventIds.Add(id);
        if (State.SeenEventIds.Count > ShopperLimits.SeenEventIds)
        {
            _seen.Remove(State.SeenEventIds[0]);
            State.SeenEventIds.RemoveAt(0);
        }
    }

    private static void AddBounded<T>(List<T> list, T item, int cap)
    {
        if (list.Count >= cap) list.RemoveAt(0);
        list.Add(item);
    }

    private async Task WriteAsync()
    {
        await store.WriteStateAsync();
        _dirty = false;
    }

    /// <summary>Click-only changes wait for a timer (or deactivation) so browsing costs few writes.</summary>
    private void ScheduleLazyWrite()
    {
        _dirty = true;
        _flushTimer ??= this.RegisterGrainTimer(static async (grain, _) =>
        {
            if (grain._dirty) await grain.WriteAsync();
        }, this, new GrainTimerCreationOptions(_options.ClickFlushDelay, _options.ClickFlushDelay) { KeepAlive = false });
    }

    private ShopperView BuildView()
    {
        var recent = new List<ShopperEvent>(Math.Min(State.Clicks.Count, ShopperLimits.RecentEventsInView));
        for (var i = State.Clicks.Count - 1; i >= 0 && recent.Count < ShopperLimits.RecentEventsInView; i--)
            recent.Add(State.Clicks[i]);
        return new ShopperView
        {
            ShopperId = ShopperId,
            Basket = Basket.View(State.Basket),
            RecentEvents = recent,
            PendingNudges = [.. State.Outbox],
            Orders = State.Orders,
            LifetimeValue = State.LifetimeValue,
            NpsScore = State.NpsScore,
            Consent = !State.ConsentWithdrawn,
        };
    }
}
