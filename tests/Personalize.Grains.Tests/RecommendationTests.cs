using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>Also-bought and trending learned from purchases, and the recommendations push built from them.</summary>
[Collection(ClusterCollection.Name)]
public sealed class RecommendationTests(ClusterFixture fixture)
{
    private ITriggerCatalogGrain Catalog => fixture.Grains.GetGrain<ITriggerCatalogGrain>(0);

    /// <summary>Sends every silo's learned purchases now instead of within a second.</summary>
    private async Task FlushLearningAsync()
    {
        foreach (var silo in fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
            await silo.SiloHost.Services.GetRequiredService<RecommendationCollector>().FlushAsync();
    }

    private static ShopperEvent Purchase(params (string Product, int Quantity)[] lines) => new()
    {
        Id = NewId("e"), Type = EventTypes.Purchase, OrderId = NewId("o"), OrderTotal = 10m * lines.Length,
        Lines = [.. lines.Select(l => new OrderLine { ProductId = l.Product, Quantity = l.Quantity, Price = 10m })],
    };

    private static string RecommendationsTrigger(string id, string strategy, string on, string conditions) => $$"""
        { "id": "{{id}}", "name": "{{id}}", "on": { "event": "{{on}}" }, "conditions": [ {{conditions}} ],
          "action": { "type": "recommendations", "title": "You may also like", "message": "picked for you",
                      "strategy": "{{strategy}}", "count": 3, "ttlSeconds": 600 } }
        """;

    [Fact]
    public async Task Co_purchases_are_counted_per_product_and_ranked()
    {
        var (a, b, c) = (NewId("p"), NewId("p"), NewId("p"));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Purchase((a, 1), (b, 1), (c, 1)));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Purchase((a, 1), (c, 2)));
        var repeat = Purchase((a, 1), (c, 1));
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(repeat);
        // The same order again (new event id, same order id) teaches nothing.
        await shopper.TrackAsync(repeat with { Id = NewId("e") });
        await FlushLearningAsync();

        var alsoBought = await fixture.Grains.GetGrain<IProductGrain>(a).GetAlsoBoughtAsync(10);
        Assert.Equal([new ProductCount(c, 3), new ProductCount(b, 1)], alsoBought);
        // Ties rank by product id.
        Assert.Equal(new[] { a, c }.Order(StringComparer.Ordinal).Select(id => new ProductCount(id, 1)),
            await fixture.Grains.GetGrain<IProductGrain>(b).GetAlsoBoughtAsync(10));
    }

    [Fact]
    public async Task A_product_keeps_a_bounded_number_of_partners()
    {
        var product = fixture.Grains.GetGrain<IProductGrain>(NewId("p"));
        var batch = Enumerable.Range(0, ProductGrain.MaxTracked + 30).ToDictionary(i => $"x{i:D4}", i => (long)i + 1);
        await product.AddCoPurchasesAsync(new FlushId(Guid.NewGuid(), 1), batch);
        var top = await product.GetAlsoBoughtAsync(ProductGrain.MaxListed);
        Assert.Equal(ProductGrain.MaxListed, top.Count);
        Assert.Equal($"x{ProductGrain.MaxTracked + 29:D4}", top[0].ProductId);
    }

    [Fact]
    public async Task Trending_sums_units_over_24_hours_and_forgets_older_sales()
    {
        var (hot, warm) = (NewId("p"), NewId("p"));
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(Purchase((hot, 5000)));
        await shopper.TrackAsync(Purchase((warm, 4000), (hot, 1)));
        await FlushLearningAsync();

        // Other tests sell too: look at these two products' places in the list.
        var trending = (await fixture.Grains.GetGrain<ITrendingGrain>(0).GetTrendingAsync(ProductGrain.MaxListed)).ToList();
        var (hotAt, warmAt) = (trending.FindIndex(p => p.ProductId == hot), trending.FindIndex(p => p.ProductId == warm));
        Assert.Equal(5001, trending[hotAt].Count);
        Assert.Equal(4000, trending[warmAt].Count);
        Assert.True(hotAt < warmAt);

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(25));
        Assert.DoesNotContain((await fixture.Grains.GetGrain<ITrendingGrain>(0).GetTrendingAsync(50)).Select(p => p.ProductId), id => id == hot);
    }

    [Fact]
    public async Task Recommendations_push_lists_also_bought_products_not_in_the_basket()
    {
        var (shoe, sock, lace, polish) = (NewId("p"), NewId("p"), NewId("p"), NewId("p"));
        for (var i = 0; i < 3; i++)
            await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Purchase((shoe, 1), (sock, 1), (lace, 1)));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Purchase((shoe, 1), (polish, 1)));
        await FlushLearningAsync();
        Assert.Equal(3, (await fixture.Grains.GetGrain<IProductGrain>(shoe).GetAlsoBoughtAsync(3)).Count);

        var triggerId = NewId("t");
        Assert.NotNull(await Catalog.CreateAsync(triggerId, RecommendationsTrigger(triggerId, "alsoBought", "add_to_cart",
            $$"""{ "fact": "event.productId", "op": "eq", "value": "{{shoe}}" }""")));
        await fixture.RefreshCatalogAsync();
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        var observer = new RecordingObserver();
        await shopper.SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));

        await shopper.TrackAsync(Event(EventTypes.AddToCart, sock, 5m, 1));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, shoe, 50m, 1));

        var push = Assert.Single(await observer.WaitForAsync(1));
        Assert.Equal(NudgeKinds.Recommendations, push.Kind);
        Assert.Equal("alsoBought", push.Strategy);
        // The sock is in the basket; the shoe is what they are looking at.
        Assert.Equal([lace, polish], push.ProductIds);
    }

    [Fact]
    public async Task Recommendations_push_lists_trending_products()
    {
        var (top, second) = (NewId("p"), NewId("p"));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Purchase((top, 9000), (second, 8000)));
        await FlushLearningAsync();
        // The silo caches the trending list for a couple of seconds of (fake) time: let any copy expire.
        ClusterFixture.Clock.Advance(RecommendationCache.Ttl + TimeSpan.FromSeconds(1));

        var triggerId = NewId("t");
        var page = NewId("cat");
        Assert.NotNull(await Catalog.CreateAsync(triggerId, RecommendationsTrigger(triggerId, "trending", "page_view",
            $$"""{ "fact": "event.categoryId", "op": "eq", "value": "{{page}}" }""")));
        await fixture.RefreshCatalogAsync();
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        var observer = new RecordingObserver();
        await shopper.SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, top, 5m, 1));
        await shopper.TrackAsync(Event(EventTypes.PageView, categoryId: page));

        var push = Assert.Single(await observer.WaitForAsync(1));
        Assert.Equal("trending", push.Strategy);
        Assert.Equal(second, push.ProductIds![0]);
        Assert.DoesNotContain(top, push.ProductIds);
    }

    [Fact]
    public async Task A_shopper_without_consent_teaches_the_model_nothing()
    {
        var (a, b) = (NewId("p"), NewId("p"));
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Consent, Granted = false });
        await shopper.TrackAsync(Purchase((a, 1), (b, 1)));
        await FlushLearningAsync();
        Assert.Empty(await fixture.Grains.GetGrain<IProductGrain>(a).GetAlsoBoughtAsync(10));
    }
}
