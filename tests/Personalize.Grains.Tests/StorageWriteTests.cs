using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>
/// What the hot path costs in storage: one write for an event that changes what must survive (and that
/// write covers its push), and next to nothing for browsing, whose changes wait for a lazy flush.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class StorageWriteTests(ClusterFixture fixture)
{
    private ITriggerCatalogGrain Catalog => fixture.Grains.GetGrain<ITriggerCatalogGrain>(0);

    [Fact]
    public async Task A_state_changing_event_is_stored_once_push_included()
    {
        var sku = NewId("sku");
        var trigger = NewId("t");
        Assert.NotNull(await Catalog.CreateAsync(trigger, OfferTrigger(trigger, EventTypes.AddToCart,
            $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""")));
        await fixture.RefreshCatalogAsync();
        var shopperId = NewId("s");
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(shopperId);
        var observer = new RecordingObserver();
        await shopper.SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));

        ShopperEvent[] events =
        [
            Event(EventTypes.AddToCart, sku, 10m, 1),
            Event(EventTypes.AddToCart, NewId("other"), 5m, 2),
            Event(EventTypes.RemoveFromCart, sku, quantity: 1),
            new() { Id = NewId("e"), Type = EventTypes.Purchase, OrderId = NewId("o"), OrderTotal = 10m },
        ];
        foreach (var e in events)
        {
            var before = FaultyStorage.Writes(shopperId);
            Assert.False((await shopper.TrackAsync(e)).Duplicate);
            // Acknowledged means stored (DESIGN.md), and one write is all it takes.
            Assert.Equal(before + 1, FaultyStorage.Writes(shopperId));
        }
        var push = Assert.Single(await observer.WaitForAsync(1));
        Assert.Equal(trigger, push.TriggerId);

        // A retry of an acknowledged event is answered from memory: no write at all.
        var writes = FaultyStorage.Writes(shopperId);
        Assert.True((await shopper.TrackAsync(events[0])).Duplicate);
        Assert.Equal(writes, FaultyStorage.Writes(shopperId));
    }

    [Fact]
    public async Task A_burst_of_click_only_events_costs_far_fewer_writes_and_is_flushed_on_deactivation()
    {
        const int Clicks = 60;
        var shopperId = NewId("s");
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(shopperId);
        string[] types = [EventTypes.PageView, EventTypes.ProductView, EventTypes.Search];
        var last = "";
        for (var i = 0; i < Clicks; i++)
        {
            var type = types[i % types.Length];
            var e = new ShopperEvent
            {
                Id = NewId("e"), Type = type,
                ProductId = type == EventTypes.ProductView ? $"p{i}" : null,
                Query = type == EventTypes.Search ? "shoes" : null,
            };
            await shopper.TrackAsync(e);
            last = e.Id;
        }

        // The clock does not move, so the flush timer has not fired: at most a first-event write (idle
        // reminder bookkeeping, when another test left an idle trigger in the shared catalog).
        var duringBurst = FaultyStorage.Writes(shopperId);
        Assert.True(duringBurst <= 1, $"{duringBurst} writes for {Clicks} click-only events");

        // Deactivation flushes what is pending, so browsing is not lost on a graceful shutdown.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (FaultyStorage.Writes(shopperId) == duringBurst && DateTime.UtcNow < deadline) await Task.Delay(20);
        var total = FaultyStorage.Writes(shopperId);
        Assert.Equal(duringBurst + 1, total);

        var view = await shopper.GetStateAsync();
        Assert.Equal(last, view.RecentEvents[0].Id);
    }

    [Fact]
    public async Task Click_only_changes_are_written_once_by_the_silo_flush_after_the_delay()
    {
        var shopperId = NewId("s");
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(shopperId);
        for (var i = 0; i < 5; i++) await shopper.TrackAsync(Event(EventTypes.ProductView, $"p{i}"));
        var beforeFlush = FaultyStorage.Writes(shopperId);
        Assert.True(Scheduler.IsScheduled(Id(shopperId)));

        // Just short of the delay nothing is written; at the delay, one write covers all five clicks.
        ClusterFixture.Clock.Advance(Delay - TimeSpan.FromMilliseconds(1));
        await Task.Delay(100);
        Assert.Equal(beforeFlush, FaultyStorage.Writes(shopperId));
        ClusterFixture.Clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(beforeFlush + 1, await WritesAfterAsync(shopperId, beforeFlush));
        Assert.False(Scheduler.IsScheduled(Id(shopperId)));

        // Nothing is left to write, so a later delay writes nothing; a new click starts a new wait.
        ClusterFixture.Clock.Advance(Delay);
        await Task.Delay(100);
        Assert.Equal(beforeFlush + 1, FaultyStorage.Writes(shopperId));
        await shopper.TrackAsync(Event(EventTypes.PageView));
        Assert.True(Scheduler.IsScheduled(Id(shopperId)));
        ClusterFixture.Clock.Advance(Delay);
        Assert.Equal(beforeFlush + 2, await WritesAfterAsync(shopperId, beforeFlush + 1));
    }

    [Fact]
    public async Task A_deactivating_shopper_writes_its_clicks_itself_and_is_not_woken_by_the_flush()
    {
        var shopperId = NewId("s");
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(shopperId);
        await shopper.TrackAsync(Event(EventTypes.ProductView, "p1"));
        var beforeDeactivation = FaultyStorage.Writes(shopperId);
        Assert.True(Scheduler.IsScheduled(Id(shopperId)));

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(beforeDeactivation + 1, await WritesAfterAsync(shopperId, beforeDeactivation));
        Assert.False(Scheduler.IsScheduled(Id(shopperId)));

        ClusterFixture.Clock.Advance(Delay);
        await Task.Delay(200);
        Assert.Equal(beforeDeactivation + 1, FaultyStorage.Writes(shopperId));
        var active = await fixture.Grains.GetGrain<IManagementGrain>(0).GetActiveGrains(Id(shopperId).Type);
        Assert.DoesNotContain(Id(shopperId), active);
    }

    [Fact]
    public async Task A_wave_of_due_flushes_goes_a_few_at_a_time_and_the_shoppers_waiting_their_turn_stay_free()
    {
        var limit = new NudgeOptions().ClickFlushesInFlight;
        var ids = Enumerable.Range(0, limit + 6).Select(_ => NewId("w")).ToArray();
        foreach (var id in ids) FaultyStorage.HoldWrites(id);
        try
        {
            foreach (var id in ids) await fixture.Grains.GetGrain<IShopperGrain>(id).TrackAsync(Event(EventTypes.ProductView, "p1"));
            var before = ids.ToDictionary(id => id, FaultyStorage.Writes);

            // The whole wave comes due at once; only `limit` flushes are sent, and they sit on the slow storage.
            ClusterFixture.Clock.Advance(Delay);
            Assert.True(await UntilAsync(() => FaultyStorage.Held(ids) == limit), $"held {FaultyStorage.Held(ids)}");
            await Task.Delay(200);
            Assert.Equal(limit, FaultyStorage.Held(ids));
            Assert.Equal(limit, Scheduler.InFlight);

            // A shopper still waiting for its flush is not held by it: its clicks are answered at once.
            var waiting = ids.First(id => Scheduler.IsScheduled(Id(id)));
            await fixture.Grains.GetGrain<IShopperGrain>(waiting).TrackAsync(Event(EventTypes.PageView)).WaitAsync(TimeSpan.FromSeconds(10));

            // Storage recovers: every shopper of the wave is written once, a few at a time, and nothing is left.
            foreach (var id in ids) FaultyStorage.Release(id);
            foreach (var id in ids) Assert.Equal(before[id] + 1, await WritesAfterAsync(id, before[id]));
            Assert.True(await UntilAsync(() => Scheduler.InFlight == 0), $"in flight {Scheduler.InFlight}");
            Assert.All(ids, id => Assert.False(Scheduler.IsScheduled(Id(id))));
        }
        finally
        {
            foreach (var id in ids) FaultyStorage.Release(id);
        }
    }

    private static TimeSpan Delay => new NudgeOptions().ClickFlushDelay;

    private ShopperFlushScheduler Scheduler =>
        fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<ShopperFlushScheduler>();

    private GrainId Id(string shopperId) => fixture.Grains.GetGrain<IShopperGrain>(shopperId).GetGrainId();

    private static async Task<int> WritesAfterAsync(string shopperId, int before)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (FaultyStorage.Writes(shopperId) == before && DateTime.UtcNow < deadline) await Task.Delay(20);
        return FaultyStorage.Writes(shopperId);
    }
}
