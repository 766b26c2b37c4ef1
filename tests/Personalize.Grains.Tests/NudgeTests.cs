using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class NudgeTests(ClusterFixture fixture)
{
    private ITriggerCatalogGrain Catalog => fixture.Grains.GetGrain<ITriggerCatalogGrain>(0);

    private async Task<(IShopperGrain Shopper, RecordingObserver Observer)> ConnectedShopperAsync()
    {
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        var observer = new RecordingObserver();
        var reference = fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer);
        await shopper.SubscribeAsync(reference);
        return (shopper, observer);
    }

    private async Task AddTriggerAsync(string json)
    {
        var id = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("id").GetString()!;
        Assert.NotNull(await Catalog.CreateAsync(id, json));
        await fixture.RefreshCatalogAsync();
    }

    [Fact]
    public async Task Offer_arrives_when_basket_crosses_threshold_and_not_before()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart",
            $$"""{ "fact": "basket.total", "op": "gte", "value": 50 }, { "fact": "basket.hasProduct", "op": "eq", "value": "{{sku}}" }"""));
        var (shopper, observer) = await ConnectedShopperAsync();

        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 20m, 1));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 20m, 1));
        Assert.Empty(await observer.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));

        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 20m, 1));
        var pushes = await observer.WaitForAsync(1);
        var offer = Assert.Single(pushes);
        Assert.Equal(NudgeKinds.Offer, offer.Kind);
        Assert.Equal("SAVE10", offer.Code);
        Assert.Equal(10m, offer.Discount!.Value);
        Assert.Single((await shopper.GetStateAsync()).PendingNudges);
    }

    [Fact]
    public async Task Pending_nudge_is_replayed_on_subscribe_and_cleared_when_shown()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }"""));
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));

        var observer = new RecordingObserver();
        var subscription = await shopper.SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));
        Assert.True(subscription.IsNew);
        var pending = Assert.Single(subscription.Pending);

        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.NudgeShown, NudgeId = pending.Id });
        Assert.Empty((await shopper.GetStateAsync()).PendingNudges);
    }

    [Fact]
    public async Task Pending_nudge_expires()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""",
            ttlSeconds: 60));
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Single((await shopper.GetStateAsync()).PendingNudges);
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(61));
        Assert.Empty((await shopper.GetStateAsync()).PendingNudges);
    }

    [Fact]
    public async Task Count_window_over_the_click_stream()
    {
        var category = NewId("cat");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "product_view",
            $$"""{ "fact": "count", "where": { "type": "product_view", "categoryId": "{{category}}" }, "withinSeconds": 600, "op": "gte", "value": 3 }"""));
        var (shopper, observer) = await ConnectedShopperAsync();

        await shopper.TrackAsync(Event(EventTypes.ProductView, "a", categoryId: category));
        await shopper.TrackAsync(Event(EventTypes.ProductView, "b", categoryId: category));
        ClusterFixture.Clock.Advance(TimeSpan.FromSeconds(601));
        await shopper.TrackAsync(Event(EventTypes.ProductView, "c", categoryId: category));
        Assert.Empty(await observer.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));

        await shopper.TrackAsync(Event(EventTypes.ProductView, "d", categoryId: category));
        await shopper.TrackAsync(Event(EventTypes.ProductView, "e", categoryId: category));
        Assert.Single(await observer.WaitForAsync(1));
    }

    [Fact]
    public async Task Code_prefix_gives_each_shopper_one_unique_code()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""",
            code: "\"codePrefix\": \"WELCOME-\""));
        var a = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        var b = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await a.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        await a.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        await b.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));

        var codesA = (await a.GetStateAsync()).PendingNudges.Select(n => n.Code).Distinct().ToList();
        var codeB = Assert.Single((await b.GetStateAsync()).PendingNudges).Code;
        var codeA = Assert.Single(codesA);
        Assert.StartsWith("WELCOME-", codeA);
        Assert.Equal(16, codeA!.Length);
        Assert.NotEqual(codeA, codeB);
    }

    [Fact]
    public async Task Highest_priority_wins_one_push_per_event()
    {
        var sku = NewId("sku");
        var condition = $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""";
        var low = NewId("low");
        var high = NewId("high");
        await AddTriggerAsync(OfferTrigger(low, "add_to_cart", condition, priority: 1));
        await AddTriggerAsync(OfferTrigger(high, "add_to_cart", condition, priority: 5));
        var (shopper, observer) = await ConnectedShopperAsync();

        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        var push = Assert.Single(await observer.WaitForAsync(2, TimeSpan.FromMilliseconds(500)));
        Assert.Equal(high, push.TriggerId);
    }

    [Fact]
    public async Task Once_per_shopper_trigger_pushes_once()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""",
            limits: """{ "maxPerShopper": 1 }"""));
        var (shopper, observer) = await ConnectedShopperAsync();
        for (var i = 0; i < 3; i++) await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Single(await observer.WaitForAsync(2, TimeSpan.FromMilliseconds(500)));
    }

    [Fact]
    public async Task Global_hourly_cap_holds_across_triggers()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }"""));
        var (shopper, observer) = await ConnectedShopperAsync();
        for (var i = 0; i < ClusterFixture.MaxPerShopperPerHour + 2; i++) await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(ClusterFixture.MaxPerShopperPerHour, (await observer.WaitForAsync(ClusterFixture.MaxPerShopperPerHour + 1, TimeSpan.FromMilliseconds(500))).Count);
    }

    [Fact]
    public async Task Withdrawn_consent_silences_every_trigger()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }"""));
        var (shopper, observer) = await ConnectedShopperAsync();
        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Consent, Granted = false });
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Empty(await observer.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Full_holdout_pushes_nothing()
    {
        var sku = NewId("sku");
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""", holdout: 100));
        var (shopper, observer) = await ConnectedShopperAsync();
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Empty(await observer.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));
        Assert.Empty((await shopper.GetStateAsync()).PendingNudges);
    }
}
