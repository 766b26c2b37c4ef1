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
        // A lull in the shopper's events: a good moment to give back list slack (an idle grain keeps it).
        _model.TrimExcess();
        if (!_dirty) return;
        // Nobody waits for this write: a storage queue lets the writes of events being answered go first.
        using (DeferrableWrites.Mark()) await WriteAsync();
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
