using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>Per-trigger counters: what the shopper grains count, flushed by the silo's collector to the stats grain.</summary>
[Collection(ClusterCollection.Name)]
public sealed class TriggerStatsTests(ClusterFixture fixture)
{
    private async Task<(string TriggerId, string Sku)> AddTriggerAsync(double holdout = 0)
    {
        var sku = NewId("sku");
        var id = NewId("t");
        var json = OfferTrigger(id, "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""", holdout: holdout,
            ttlSeconds: 86_400);
        Assert.NotNull(await fixture.Grains.GetGrain<ITriggerCatalogGrain>(0).CreateAsync(id, json));
        await fixture.RefreshCatalogAsync();
        return (id, sku);
    }

    private async Task<TriggerStats> StatsAsync(string triggerId)
    {
        await fixture.FlushStatsAsync();
        return await fixture.Grains.GetGrain<ITriggerStatsGrain>(triggerId).GetAsync();
    }

    private static ShopperEvent Report(string type, string nudgeId) => new() { Id = NewId("e"), Type = type, NudgeId = nudgeId };

    private static ShopperEvent Purchase(decimal total) => new() { Id = NewId("e"), Type = EventTypes.Purchase, OrderId = NewId("o"), OrderTotal = total };

    [Fact]
    public async Task Fired_reports_and_one_conversion_per_push_are_counted()
    {
        var (id, sku) = await AddTriggerAsync();
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        var nudge = Assert.Single((await shopper.GetStateAsync()).PendingNudges);

        await shopper.TrackAsync(Report(EventTypes.NudgeShown, nudge.Id));
        await shopper.TrackAsync(Report(EventTypes.NudgeClicked, nudge.Id));
        await shopper.TrackAsync(Report(EventTypes.NudgeClicked, nudge.Id));
        await shopper.TrackAsync(Report(EventTypes.NudgeDismissed, "n-unknown"));
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(23));
        await shopper.TrackAsync(Purchase(30m));
        await shopper.TrackAsync(Purchase(99m));

        var stats = await StatsAsync(id);
        Assert.Equal(1, stats.Fired);
        Assert.Equal(1, stats.Shown);
        Assert.Equal(1, stats.Clicked);
        Assert.Equal(0, stats.Dismissed);
        Assert.Equal(1, stats.Converted);
        Assert.Equal(30m, stats.Revenue);
        Assert.Equal(0, stats.HoldoutAssigned);
    }

    [Fact]
    public async Task Purchase_more_than_a_day_after_the_push_is_not_its_conversion()
    {
        var (id, sku) = await AddTriggerAsync();
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        ClusterFixture.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        await shopper.TrackAsync(Purchase(30m));

        var stats = await StatsAsync(id);
        Assert.Equal(1, stats.Fired);
        Assert.Equal(0, stats.Converted);
    }

    [Fact]
    public async Task A_flush_in_flight_when_the_product_clock_jumps_a_day_is_answered_and_counted_once()
    {
        // The silo's call to the stats grain waits on a slow write while the test moves the product's
        // clock a day. That clock is not the runtime's: the call must not time out, or the collector
        // would merge back a delta the grain had already added and count it twice at the next flush.
        var (id, sku) = await AddTriggerAsync();
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        FaultyStorage.HoldWrites(id);
        try
        {
            var flush = fixture.FlushStatsAsync();
            Assert.True(await UntilAsync(() => FaultyStorage.Held([id]) == 1), "the flush never reached storage");
            ClusterFixture.Clock.Advance(TimeSpan.FromDays(1));
            await Task.Delay(TimeSpan.FromSeconds(2));
            FaultyStorage.Release(id);
            await flush.WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            FaultyStorage.Release(id);
        }

        Assert.Equal(1, (await StatsAsync(id)).Fired);
    }

    [Fact]
    public async Task Full_holdout_counts_assignment_and_conversion_but_no_push()
    {
        var (id, sku) = await AddTriggerAsync(holdout: 100);
        for (var i = 0; i < 2; i++)
        {
            var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
            await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
            Assert.Empty((await shopper.GetStateAsync()).PendingNudges);
            if (i == 0) await shopper.TrackAsync(Purchase(45.5m));
        }

        var stats = await StatsAsync(id);
        Assert.Equal(0, stats.Fired);
        Assert.Equal(2, stats.HoldoutAssigned);
        Assert.Equal(1, stats.HoldoutConverted);
        Assert.Equal(45.5m, stats.HoldoutRevenue);
        Assert.Equal(0, stats.Converted);
    }

    [Fact]
    public async Task Counts_survive_the_stats_grain_being_deactivated()
    {
        var (id, sku) = await AddTriggerAsync();
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        Assert.Equal(1, (await StatsAsync(id)).Fired);
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Event(EventTypes.AddToCart, sku, 30m, 1));
        Assert.Equal(2, (await StatsAsync(id)).Fired);
    }
}
