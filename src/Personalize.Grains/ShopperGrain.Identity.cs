using Microsoft.Extensions.Logging;

namespace Personalize.Grains;

/// <summary>
/// One customer across channels and devices: an anonymous shopper merged into a customer becomes an
/// alias that forwards every event, view and subscription to the customer, so a token minted for the
/// anonymous id acts as the customer. Caps, cooldowns and one-push-per-event then hold across both,
/// because the trigger memory and recent pushes move with the rest.
/// </summary>
public sealed partial class ShopperGrain : IShopperIdentityGrain
{
    private IShopperGrain Customer(string customerId) => GrainFactory.GetGrain<IShopperGrain>(customerId);

    public Task<string> ResolveAsync() => Task.FromResult(State.MergedInto ?? ShopperId);

    public Task<IReadOnlyList<string>> GetMergedIdsAsync() => Task.FromResult<IReadOnlyList<string>>([.. State.MergedIds]);

    public async Task<ShopperState> HandOverAsync(string customerId)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerId);
        if (State.MergedInto is { } existing && existing != customerId)
            throw new InvalidOperationException("this shopper was already merged into another customer");
        if (State.MergedInto is null)
        {
            State.MergedInto = customerId;
            _model.PruneOutbox(services.Time.GetUtcNow());
            await ForgetIdleAsync();
            await WriteAsync();
            LogInformationMerged(ShopperId, customerId);
        }
        return State;
    }

    public async Task AbsorbAsync(string anonymousId, ShopperState handover)
    {
        ArgumentException.ThrowIfNullOrEmpty(anonymousId);
        ArgumentNullException.ThrowIfNull(handover);
        if (State.MergedInto is not null) throw new InvalidOperationException("an alias cannot absorb another shopper");
        if (State.MergedIds.Contains(anonymousId)) return;

        var now = services.Time.GetUtcNow();
        foreach (var line in handover.Basket) Basket.Add(State.Basket, line.ProductId, line.CategoryId, line.Quantity, line.Price);
        if (!State.ConsentWithdrawn)
            State.Clicks = Newest([.. State.Clicks, .. handover.Clicks], ShopperLimits.ClickRing);
        State.SeenEventIds = Union(State.SeenEventIds, handover.SeenEventIds, ShopperLimits.SeenEventIds);
        State.OrderIds = Union(State.OrderIds, handover.OrderIds, ShopperLimits.OrderIds);
        State.Orders += handover.Orders;
        State.LifetimeValue += handover.LifetimeValue;
        var moved = handover.Outbox.Where(n => n.ExpiresAt > now && State.Outbox.TrueForAll(o => o.Id != n.Id)).ToList();
        State.Outbox = [.. State.Outbox, .. moved];
        if (State.Outbox.Count > ShopperLimits.Outbox) State.Outbox.RemoveRange(0, State.Outbox.Count - ShopperLimits.Outbox);
        State.SentNudges = [.. State.SentNudges, .. handover.SentNudges.Where(s => State.SentNudges.TrueForAll(o => o.NudgeId != s.NudgeId))];
        if (State.SentNudges.Count > ShopperLimits.SentNudges) State.SentNudges.RemoveRange(0, State.SentNudges.Count - ShopperLimits.SentNudges);
        State.RecentPushes = [.. State.RecentPushes.Concat(handover.RecentPushes).Order()];
        foreach (var (triggerId, theirs) in handover.Triggers) MergeMemory(triggerId, theirs);
        foreach (var (triggerId, code) in handover.IssuedCodes) State.IssuedCodes.TryAdd(triggerId, code);
        // First touch wins for the customer too: their own attribution stays; a referral to themselves is none.
        if (State.ReferredBy is null && handover.ReferredBy is { } referrer && referrer != ShopperId)
        {
            State.ReferredBy = referrer;
            State.Referral.AttributedAt = handover.Referral.AttributedAt;
            State.Referral.QualifiedOrderId = handover.Referral.QualifiedOrderId;
            State.Referral.QualifiedOrderRefunded = handover.Referral.QualifiedOrderRefunded;
        }
        if (State.NpsScore is null)
        {
            State.NpsScore = handover.NpsScore;
            State.NpsAnsweredOn = handover.NpsAnsweredOn;
        }
        State.FirstSeen = Earliest(State.FirstSeen, handover.FirstSeen);
        State.LastEventAt = Latest(State.LastEventAt, handover.LastEventAt);
        State.Identified = true;
        State.MergedIds.Add(anonymousId);
        if (State.MergedIds.Count > ShopperLimits.MergedIds) State.MergedIds.RemoveAt(0);

        await WriteAsync();
        // A fresh model over the merged state, so nothing it held from before the merge lingers.
        _model = new ShopperModel(ShopperId, State, services.Options, services.Stats);
        LogInformationAbsorbed(ShopperId, anonymousId, handover.Basket.Count, moved.Count);
        foreach (var nudge in moved) await PushToObserversAsync(nudge);
    }

    public async Task ReleaseAsync(string customerId)
    {
        if (State.MergedInto != customerId) return;
        if (State.Basket.Count == 0 && State.Clicks.Count == 0 && State.Outbox.Count == 0 && State.Orders == 0
            && State.NpsScore is null && State.Triggers.Count == 0) return;
        // The referral code and ledger stay: the code's grain names this id, and hand-offs still in
        // flight are delivered from here.
        State.Basket.Clear();
        State.Clicks.Clear();
        State.Outbox.Clear();
        State.SentNudges.Clear();
        State.Triggers.Clear();
        State.RecentPushes.Clear();
        State.IssuedCodes.Clear();
        State.OrderIds.Clear();
        State.Orders = 0;
        State.LifetimeValue = 0;
        State.NpsScore = null;
        State.NpsAnsweredOn = null;
        State.ReferredBy = null;
        await WriteAsync();
    }

    private void MergeMemory(string triggerId, TriggerMemory theirs)
    {
        if (!State.Triggers.TryGetValue(triggerId, out var mine))
        {
            State.Triggers[triggerId] = theirs;
            return;
        }
        mine.Fired += theirs.Fired;
        mine.LastFiredAt = Latest(mine.LastFiredAt, theirs.LastFiredAt);
        mine.HoldoutAt = Latest(mine.HoldoutAt, theirs.HoldoutAt);
        mine.Converted &= theirs.Converted;
    }

    /// <summary>The newest <paramref name="cap"/> clicks, oldest first: both click rings merged in time order.</summary>
    private static List<Click> Newest(List<Click> clicks, int cap)
    {
        var ordered = clicks.DistinctBy(c => c.Id).OrderBy(c => c.At).ToList();
        return ordered.Count <= cap ? ordered : ordered[^cap..];
    }

    private static List<T> Union<T>(List<T> mine, List<T> theirs, int cap)
    {
        var all = mine.Concat(theirs.Where(id => !mine.Contains(id))).ToList();
        return all.Count <= cap ? all : all[^cap..];
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a < b ? a : b;

    private static DateTimeOffset? Latest(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Shopper {ShopperId} is now an alias of customer {CustomerId}")]
    private partial void LogInformationMerged(string shopperId, string customerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Customer {ShopperId} absorbed {AnonymousId}: {Lines} basket lines, {Pushes} pending pushes")]
    private partial void LogInformationAbsorbed(string shopperId, string anonymousId, int lines, int pushes);
}
