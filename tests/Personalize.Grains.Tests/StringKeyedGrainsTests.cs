using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class StringKeyedGrainsTests(ClusterFixture fixture)
{
    [Fact]
    public async Task A_reference_is_the_one_GetGrain_gives_and_reaches_the_same_grain()
    {
        var shoppers = new StringKeyedGrains<IShopperGrain>(fixture.Grains);
        var id = NewId("s");

        var cached = shoppers.Get(id);
        var direct = fixture.Grains.GetGrain<IShopperGrain>(id);

        Assert.Equal(direct, cached);
        Assert.Equal(direct.GetGrainId(), cached.GetGrainId());
        Assert.NotEqual(direct.GetGrainId(), shoppers.Get(NewId("s")).GetGrainId());
        await cached.TrackAsync(Event(EventTypes.AddToCart, "p-1", 5m, 1));
        Assert.Equal("p-1", Assert.Single((await direct.GetStateAsync()).Basket.Lines).ProductId);
    }
}
