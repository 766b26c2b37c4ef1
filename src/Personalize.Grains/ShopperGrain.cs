using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// One grain per shopper. Applies each event, judges it against the silo's compiled triggers, and
/// pushes at most one nudge to every gateway that holds a connection of this shopper. Everything an
/// answer acknowledges is written before the answer; click-only changes are written lazily. The rules
/// themselves live in <see cref="ShopperModel"/> (shared with the simulator); the grain adds storage,
/// timers, reminders and observers.
/// </summary>
public sealed partial class ShopperGrain(
    [PersistentState("shopper", GrainStorage.Default)] IPersistentState<ShopperState> store,
    ShopperServices services,
    ILogger<ShopperGrain> logger) : Grain, IShopperGrain
{
    /// <summary>Gateways renew every 30 s; a gateway that died stops receiving after two minutes.</summary>
    public static readonly TimeSpan SubscriptionExpiry = TimeSpan.FromMinutes(2);

    /// <summary>Made on the first subscription: most activations never have a connection on any gateway.</summary>
    private ShopperSubscribers? _observers;
    private ShopperModel _model = null!;
    private ShopperState State => store.State;
    private string ShopperId => this.GetPrimaryKeyString();
    private bool _dirty;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _model = new ShopperModel(ShopperId, State, services.Options, services.Stats);
        return ResumeReferralHandoffsAsync();
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        ForgetLazyWrite();
        if (_dirty) await WriteAsync();
    }

    public async Task<TrackResult> TrackAsync(ShopperEvent shopperEvent)
    {
        ArgumentNullException.ThrowIfNull(shopperEvent);
        var problems = ShopperEventValidator.Validate(shopperEvent, fromServer: true);
        if (problems.Count > 0)
            throw new ArgumentException(string.Join("; ", problems.Select(p => $"{p.Key}: {p.Value}")));
        if (State.MergedInto is { } customer) return await Customer(customer).TrackAsync(shopperEvent);

        var now = services.Time.GetUtcNow();
        if (_model.Accept(shopperEvent, now) is not { } e) return new TrackResult(Accepted: true, Duplicate: true);

        var orderToLearn = OrderToLearn(e);
        CountNpsAnswer(e, now);
        var referral = await TrackReferralAsync(e, now);
        var durable = Apply(e, now) | referral.Durable;
        var catalog = await services.Catalogs.GetAsync();
        await PrepareRecommendationsAsync(catalog, e);
        var verdict = await _model.JudgeEventAsync(catalog, e, now, services.Budget);
        durable |= verdict.Changed;
        durable |= await ScheduleIdleCheckAsync(catalog, now);

        if (durable) await WriteAsync();
        else ScheduleLazyWrite();
        if (orderToLearn is not null) Learning.AddOrder(orderToLearn, now);

        await DeliverReferralHandoffsAsync();
        if (referral.Push is { } offer) await PushToObserversAsync(offer);
        if (verdict.Nudge is { } nudge) await PushToObserversAsync(CountReferralPrompt(nudge));
        return new TrackResult(Accepted: true, Duplicate: false);
    }

    public Task<ShopperView> GetStateAsync()
    {
        if (State.MergedInto is { } customer) return Customer(customer).GetStateAsync();
        _model.PruneOutbox(services.Time.GetUtcNow());
        return Task.FromResult(BuildView());
    }

    public Task<bool> ExistsAsync() => Task.FromResult(store.RecordExists || State.FirstSeen is not null);

    public Task<Subscription> SubscribeAsync(IShopperObserver observer)
    {
        if (State.MergedInto is { } customer) return Customer(customer).SubscribeAsync(observer);
        // Subscriptions live on the wall clock, as the gateways renewing them do; services.Time is the
        // shopper's clock, for windows and expiry of what the shopper did (tests move it by hours).
        _observers ??= new ShopperSubscribers(SubscriptionExpiry, TimeProvider.System);
        var isNew = _observers.Subscribe(observer);
        _model.PruneOutbox(services.Time.GetUtcNow());
        return Task.FromResult(new Subscription(isNew, [.. State.PendingOutbox]));
    }

    public Task UnsubscribeAsync(IShopperObserver observer)
    {
        if (State.MergedInto is { } customer) return Customer(customer).UnsubscribeAsync(observer);
        _observers?.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task EraseAsync()
    {
        _dirty = false;
        await ForgetIdleAsync();
        // The ADO.NET provider is configured with DeleteStateOnClear: the row goes, not just its payload.
        await store.ClearStateAsync();
        store.State = new ShopperState();
        _model = new ShopperModel(ShopperId, State, services.Options, services.Stats);
        DeactivateOnIdle();
    }

    /// <summary>Applies the event; true when the change must be stored before answering.</summary>
    private bool Apply(ShopperEvent e, DateTimeOffset now) => _model.Apply(e, now);

    private async Task WriteAsync()
    {
        try
        {
            await store.WriteStateAsync();
            _dirty = false;
        }
        catch (Exception ex)
        {
            // What was not stored must not be remembered either: a retry of the same event id has to be
            // applied again, not answered "duplicate". This activation's memory is now ahead of storage,
            // so it goes; the next call reads what storage really holds.
            LogWarningWriteFailed(ex, ShopperId);
            _dirty = false;
            DeactivateOnIdle();
            throw;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Storing shopper {ShopperId} failed; the change is refused and the activation dropped")]
    private partial void LogWarningWriteFailed(Exception ex, string shopperId);

    private Task PushToObserversAsync(Nudge nudge)
    {
        var shopperId = ShopperId;
        return _observers is not { Count: > 0 } observers
            ? Task.CompletedTask
            : observers.NotifyAsync(o => o.PushAsync(shopperId, nudge));
    }

    private ShopperView BuildView()
    {
        var recent = new List<ShopperEvent>(Math.Min(State.Clicks.Count, ShopperLimits.RecentEventsInView));
        for (var i = State.Clicks.Count - 1; i >= 0 && recent.Count < ShopperLimits.RecentEventsInView; i--)
            recent.Add(State.Clicks[i].ToEvent());
        return new ShopperView
        {
            ShopperId = ShopperId,
            Basket = Basket.View(State.Basket),
            RecentEvents = recent,
            PendingNudges = [.. State.PendingOutbox],
            Orders = State.Orders,
            LifetimeValue = State.LifetimeValue,
            NpsScore = State.NpsScore,
            Consent = !State.ConsentWithdrawn,
            ReferralCode = State.ReferralCode,
            ReferredBy = State.ReferredBy is not null,
            Rewards = RewardsView(),
        };
    }
}
