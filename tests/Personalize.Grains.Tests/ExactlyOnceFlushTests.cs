using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>
/// Counter flushes count once: a batch whose answer was lost is resent unchanged and ignored if it had
/// been applied, newer counts follow it in a batch of their own, and a counter grain forgets a source
/// silent for a day.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ExactlyOnceFlushTests(ClusterFixture fixture)
{
    private static TriggerStats Fired(long n) => new() { Fired = n };

    private ITriggerStatsGrain StatsGrain(string triggerId) => fixture.Grains.GetGrain<ITriggerStatsGrain>(triggerId);

    private async Task<long> FiredAsync(string triggerId) => (await StatsGrain(triggerId).GetAsync()).Fired;

    [Fact]
    public async Task A_batch_sent_again_is_acknowledged_and_not_counted_again_even_after_a_reactivation()
    {
        var id = NewId("t");
        var source = Guid.NewGuid();
        await StatsGrain(id).AddBatchAsync(new FlushId(source, 7), Fired(1));
        await StatsGrain(id).AddBatchAsync(new FlushId(source, 7), Fired(1));
        Assert.Equal(1, await FiredAsync(id));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await StatsGrain(id).AddBatchAsync(new FlushId(source, 7), Fired(1));
        await StatsGrain(id).AddBatchAsync(new FlushId(source, 6), Fired(1));
        Assert.Equal(1, await FiredAsync(id));

        await StatsGrain(id).AddBatchAsync(new FlushId(source, 8), Fired(2));
        await StatsGrain(id).AddBatchAsync(new FlushId(Guid.NewGuid(), 1), Fired(4));
        Assert.Equal(7, await FiredAsync(id));
    }

    [Fact]
    public async Task A_batch_whose_write_failed_is_counted_when_sent_again()
    {
        var id = NewId("t");
        var flush = new FlushId(Guid.NewGuid(), 1);
        FaultyStorage.FailWrites(id);
        await Assert.ThrowsAnyAsync<Exception>(() => StatsGrain(id).AddBatchAsync(flush, Fired(3)));
        Assert.Equal(0, await FiredAsync(id));

        await StatsGrain(id).AddBatchAsync(flush, Fired(3));
        await StatsGrain(id).AddBatchAsync(flush, Fired(3));
        Assert.Equal(3, await FiredAsync(id));
    }

    [Fact]
    public async Task Co_purchases_sent_again_are_counted_once()
    {
        var product = fixture.Grains.GetGrain<IProductGrain>(NewId("p"));
        var (flush, other) = (new FlushId(Guid.NewGuid(), 1), NewId("p"));
        await product.AddCoPurchasesAsync(flush, new Dictionary<string, long> { [other] = 2 });
        await product.AddCoPurchasesAsync(flush, new Dictionary<string, long> { [other] = 2 });
        Assert.Equal(2, Assert.Single(await product.GetAlsoBoughtAsync(10)).Count);
    }

    [Fact]
    public async Task A_flush_whose_answer_is_lost_is_resent_unchanged_counted_once_and_newer_counts_follow_it()
    {
        var sku = NewId("sku");
        var id = NewId("t");
        Assert.NotNull(await fixture.Grains.GetGrain<ITriggerCatalogGrain>(0).CreateAsync(id,
            OfferTrigger(id, "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""", ttlSeconds: 86_400)));
        await fixture.RefreshCatalogAsync();
        // The first send and the first resend are applied (or found applied) but their answers are lost.
        LostAnswers.LoseNext(id, 2);

        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        await fixture.FlushStatsAsync();
        Assert.Equal(1, await FiredAsync(id));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        for (var i = 0; i < 3; i++) await fixture.FlushStatsAsync();

        Assert.Equal(2, await FiredAsync(id));
        var batches = LostAnswers.Batches(id);
        var first = batches[0].Flush;
        var resent = batches.TakeWhile(b => b.Flush == first).ToList();
        Assert.True(resent.Count >= 3, $"the lost batch was sent {resent.Count} times, not at least three");
        Assert.All(resent, b => Assert.Equal(1, ((TriggerStats)b.Batch!).Fired));
        var newer = Assert.Single(batches.Skip(resent.Count));
        Assert.Equal(first.Source, newer.Flush.Source);
        Assert.True(newer.Flush.Sequence > first.Sequence);
        Assert.Equal(1, ((TriggerStats)newer.Batch!).Fired);
    }

    [Fact]
    public async Task A_source_silent_for_a_day_is_forgotten()
    {
        var id = NewId("t");
        var (quiet, busy) = (new FlushId(Guid.NewGuid(), 5), Guid.NewGuid());
        await StatsGrain(id).AddBatchAsync(quiet, Fired(1));

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(23));
        await StatsGrain(id).AddBatchAsync(new FlushId(busy, 1), Fired(1));
        await StatsGrain(id).AddBatchAsync(quiet, Fired(1));
        Assert.Equal(2, await FiredAsync(id));

        // A day after its last batch the quiet source is dropped from the row, so its old number is news
        // again: which only a source that had been gone for a day could send.
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        await StatsGrain(id).AddBatchAsync(new FlushId(busy, 2), Fired(1));
        await StatsGrain(id).AddBatchAsync(quiet, Fired(1));
        Assert.Equal(4, await FiredAsync(id));
    }
}
