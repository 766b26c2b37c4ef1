namespace Personalize.Grains;

/// <summary>
/// Click-only changes are written lazily, so browsing costs few writes: the silo's
/// <see cref="ShopperFlushScheduler"/> asks the grain to write them after a delay, and deactivation
/// writes whatever is still pending. The grain keeps no timer for it (an idle grain keeps nothing).
/// </summary>
public sealed partial class ShopperGrain : IShopperFlushGrain
{
    public async Task FlushAsync()
    {
        TrimInALull();
        if (!_dirty) return;
        // Nobody waits for this write: a storage queue lets the writes of events being answered go first.
        using (DeferrableWrites.Mark()) await WriteAsync();
    }

    /// <summary>
    /// A lull in the shopper's events (none for half the flush delay) is when list slack is given back, so an
    /// idle grain keeps none. While the shopper is still browsing, the lists would only grow again at the next
    /// events, each time into a new array that outlived a collection or two: trimmed on every flush, that churn
    /// was a tenth of what the collector promoted under load. A flush mid-browse leaves the slack to a later
    /// flush (or deactivation); it asks for no extra call, which added grain calls during silo and gateway faults.
    /// </summary>
    private void TrimInALull()
    {
        var quietFor = services.Options.ClickFlushDelay / 2;
        if (State.LastEventAt is { } last && services.Time.GetUtcNow() - last < quietFor) return;
        _model.TrimExcess();
    }

    private void ScheduleLazyWrite()
    {
        // A flush already waiting covers this change too (the scheduler keeps the earlier time); asking
        // again anyway means a lost one-way call costs a delay, not an unwritten change until deactivation.
        _dirty = true;
        services.Flusher.Schedule(this.GetGrainId());
    }

    private void ForgetLazyWrite() => services.Flusher.Forget(this.GetGrainId());
}
