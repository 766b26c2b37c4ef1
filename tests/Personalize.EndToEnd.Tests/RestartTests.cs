using System.Net.Http.Json;
using System.Text.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>Everything acknowledged survives a stop and start of the process on the same SQLite file.</summary>
public sealed class RestartTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Basket_orders_triggers_and_codes_survive_a_restart(bool graceful)
    {
        await using var gateway = new GatewayProcess();
        await gateway.StartAsync();
        var shop = new Storefront(gateway);
        var sku = NewId("sku");
        var triggerId = NewId("t");
        await shop.CreateTriggerAsync(OfferTrigger(triggerId, sku, 1, code: "\"codePrefix\": \"VIP-\""));
        var shopperId = NewId("s");

        string code;
        await using (var shopper = await shop.ConnectAsync(shopperId))
        {
            await shopper.TrackAsync(new { id = NewId("e"), type = "purchase", orderId = "o-1", orderTotal = 75.5m });
            await shopper.TrackAsync(new { id = "cart-1", type = "add_to_cart", productId = sku, price = 12.5m, quantity = 2 });
            var push = await shopper.NextPushAsync();
            Assert.NotNull(push);
            code = push.Value.GetProperty("code").GetString()!;
            Assert.StartsWith("VIP-", code);
        }

        // A hard kill is the honest test: nothing acknowledged may depend on a graceful shutdown.
        await gateway.StopAsync(graceful);
        await gateway.StartAsync();

        await using var again = await shop.ConnectAsync(shopperId);
        var replayed = await again.NextPushAsync();
        Assert.NotNull(replayed);
        Assert.Equal(code, replayed.Value.GetProperty("code").GetString());

        var state = await again.StateAsync();
        Assert.Equal(2, state.GetProperty("basket").GetProperty("count").GetInt32());
        Assert.Equal(25m, state.GetProperty("basket").GetProperty("total").GetDecimal());
        Assert.Equal(1, state.GetProperty("orders").GetInt32());
        Assert.Equal(75.5m, state.GetProperty("lifetimeValue").GetDecimal());
        // The event id is still remembered: a retry after the restart is a duplicate.
        var retry = await again.TrackAsync(new { id = "cart-1", type = "add_to_cart", productId = sku, price = 12.5m, quantity = 2 });
        Assert.True(retry.GetProperty("duplicate").GetBoolean());

        var trigger = await shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/triggers/{triggerId}");
        Assert.Equal(triggerId, trigger.GetProperty("id").GetString());
    }
}
