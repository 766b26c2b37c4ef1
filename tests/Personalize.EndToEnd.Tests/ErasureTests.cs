using System.Net;
using System.Net.Http.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>Erasure removes the shopper's stored row: 404 after, and a restart does not bring them back.</summary>
public sealed class ErasureTests
{
    [Fact]
    public async Task Erased_shopper_is_404_after_and_stays_gone_after_a_restart()
    {
        await using var gateway = new GatewayProcess();
        await gateway.StartAsync();
        var shop = new Storefront(gateway);
        var shopperId = NewId("s");
        var kept = NewId("s");
        foreach (var id in new[] { shopperId, kept })
        {
            var response = await shop.Backend().PostAsJsonAsync("/api/events", new
            {
                shopperId = id,
                events = new object[]
                {
                    new { id = NewId("e"), type = "add_to_cart", productId = "a", price = 10m, quantity = 1 },
                    new { id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 10m },
                },
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
        Assert.Equal(HttpStatusCode.OK, (await shop.Marketer().GetAsync($"/api/shoppers/{shopperId}")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await shop.Marketer().DeleteAsync($"/api/shoppers/{shopperId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shop.Marketer().GetAsync($"/api/shoppers/{shopperId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await shop.Marketer().DeleteAsync($"/api/shoppers/{shopperId}")).StatusCode);

        // A hard kill: the erasure must already be stored, not waiting for a graceful shutdown.
        await gateway.StopAsync(graceful: false);
        await gateway.StartAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await shop.Marketer().GetAsync($"/api/shoppers/{shopperId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await shop.Marketer().GetAsync($"/api/shoppers/{kept}")).StatusCode);
    }
}
