namespace Personalize.Grains;

/// <summary>
/// The receiving half of exactly-once counter flushes (the sending half is
/// <see cref="FlushOutbox{TTarget, TBatch}"/>): a counter grain applies a batch and records its
/// <see cref="FlushId"/> in one state write, and answers a batch it has recorded without applying it again.
/// </summary>
public static class FlushTarget
{
    public static async Task ApplyOnceAsync<TState>(
        this IPersistentState<TState> store, IGrainBase grain, FlushId flush, TimeProvider time, Action<TState> apply)
        where TState : IFlushTargetState
    {
        ArgumentNullException.ThrowIfNull(grain);
        ArgumentNullException.ThrowIfNull(apply);
        // Applied before: the collector did not get the answer and resent it. Acknowledge, do not count.
        if (store.State.AppliedFlushes.Includes(flush)) return;
        apply(store.State);
        store.State.AppliedFlushes.Record(flush, time.GetUtcNow());
        try
        {
            await store.WriteStateAsync();
        }
        catch
        {
            // The write may have landed before it failed. Storage says whether, counters and record alike,
            // so the collector's resend of this batch is applied exactly when it did not land.
            await ReloadAsync(store, grain);
            throw;
        }
    }

    private static async Task ReloadAsync<TState>(IPersistentState<TState> store, IGrainBase grain)
    {
        try
        {
            await store.ReadStateAsync();
        }
        catch (Exception)
        {
            // Storage is out of reach: this activation's memory holds a batch storage may not, so it goes,
            // and the next call reads the row afresh. The caller sees the write's error.
            grain.DeactivateOnIdle();
        }
    }
}
