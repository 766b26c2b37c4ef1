using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ShopperGrainTests(ClusterFixture fixture)
{
    private IShopperGrain Shopper(string id) => fixture.Grains.GetGrain<IShopperGrain>(id);

    [Fact]
    public async Task Basket_mirrors_add_remove_and_purchase()
    {
        var shopper = Shopper(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, "a", 10m, 2));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, "b", 5m, 1));
        await shopper.TrackAsync(Event(EventTypes.RemoveFromCart, "a", quantity: 1));

        var view = await shopper.GetStateAsync();
        Assert.Equal(2, view.Basket.Count);
        Assert.Equal(15m, view.Basket.Total);
        Assert.Equal(["a", "b"], view.Basket.Lines.Select(l => l.ProductId));

        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Purchase, OrderId = "o-1", OrderTotal = 15m });
        view = await shopper.GetStateAsync();
        Assert.Empty(view.Basket.Lines);
        Assert.Equal(1, view.Orders);
        Assert.Equal(15m, view.LifetimeValue);
    }

    [Fact]
    public async Task Same_order_twice_counts_once()
    {
        var shopper = Shopper(NewId("s"));
        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Purchase, OrderId = "o-1", OrderTotal = 40m });
        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Purchase, OrderId = "o-1", OrderTotal = 40m });
        var view = await shopper.GetStateAsync();
        Assert.Equal(1, view.Orders);
        Assert.Equal(40m, view.LifetimeValue);
    }

    [Fact]
    public async Task Repeated_event_id_is_a_duplicate_and_changes_nothing()
    {
        var shopper = Shopper(NewId("s"));
        var e = Event(EventTypes.AddToCart, "a", 10m, 1);
        Assert.Equal(new TrackResult(true, false), await shopper.TrackAsync(e));
        Assert.Equal(new TrackResult(true, true), await shopper.TrackAsync(e));
        Assert.Equal(1, (await shopper.GetStateAsync()).Basket.Count);
    }

    [Fact]
    public async Task Event_id_memory_is_bounded()
    {
        var shopper = Shopper(NewId("s"));
        var first = Event(EventTypes.PageView);
        await shopper.TrackAsync(first);
        for (var i = 0; i < ShopperLimits.SeenEventIds; i++) await shopper.TrackAsync(Event(EventTypes.PageView));
        // The oldest id has been forgotten: memory stays bounded however long the session.
        Assert.False((await shopper.TrackAsync(first)).Duplicate);
    }

    [Fact]
    public async Task Click_ring_is_bounded_and_newest_first()
    {
        var shopper = Shopper(NewId("s"));
        for (var i = 0; i < ShopperLimits.ClickRing + 10; i++)
            await shopper.TrackAsync(Event(EventTypes.ProductView, $"p{i}"));
        var view = await shopper.GetStateAsync();
        Assert.Equal(ShopperLimits.RecentEventsInView, view.RecentEvents.Count);
        Assert.Equal($"p{ShopperLimits.ClickRing + 9}", view.RecentEvents[0].ProductId);
    }

    [Fact]
    public async Task Invalid_event_is_refused_and_changes_nothing()
    {
        var shopper = Shopper(NewId("s"));
        await Assert.ThrowsAnyAsync<ArgumentException>(() => shopper.TrackAsync(new ShopperEvent { Id = "x", Type = EventTypes.AddToCart }));
        Assert.False(await shopper.ExistsAsync());
        Assert.Empty((await shopper.GetStateAsync()).Basket.Lines);
    }

    [Fact]
    public async Task Withdrawn_consent_stops_click_keeping()
    {
        var shopper = Shopper(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.ProductView, "a"));
        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Consent, Granted = false });
        await shopper.TrackAsync(Event(EventTypes.ProductView, "b"));
        var view = await shopper.GetStateAsync();
        Assert.False(view.Consent);
        Assert.Empty(view.RecentEvents);
    }

    [Fact]
    public async Task Erase_forgets_the_shopper()
    {
        var shopper = Shopper(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, "a", 10m, 1));
        Assert.True(await shopper.ExistsAsync());
        await shopper.EraseAsync();
        Assert.False(await shopper.ExistsAsync());
        Assert.Empty((await shopper.GetStateAsync()).Basket.Lines);
    }
}

[Collection(ClusterCollection.Name)]
public sealed class StorageFailureTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_change_that_could_not_be_stored_is_refused_and_a_retry_applies_it()
    {
        var id = TestData.NewId("s");
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(id);
        await shopper.TrackAsync(TestData.Event(EventTypes.AddToCart, "a", 10m, 1));

        var e = TestData.Event(EventTypes.AddToCart, "b", 5m, 1);
        FaultyStorage.FailWrites(id);
        await Assert.ThrowsAnyAsync<Exception>(() => shopper.TrackAsync(e));

        // Not stored, so not remembered: the basket shows only what storage holds, and the retry is no duplicate.
        Assert.Equal(1, (await shopper.GetStateAsync()).Basket.Count);
        Assert.Equal(new TrackResult(true, false), await shopper.TrackAsync(e));
        Assert.Equal(2, (await shopper.GetStateAsync()).Basket.Count);
    }
}
