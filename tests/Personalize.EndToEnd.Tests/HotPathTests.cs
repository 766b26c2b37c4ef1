using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>The hot path judged from outside: real gateway process, real SignalR clients.</summary>
public sealed class HotPathTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Storefront Shop => fixture.Storefront;

    private static object AddToCart(string sku, decimal price, string? id = null) =>
        new { id = id ?? NewId("e"), type = "add_to_cart", productId = sku, price, quantity = 1 };

    [Fact]
    public async Task Offer_arrives_when_the_basket_crosses_the_threshold_and_not_before()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(OfferTrigger(NewId("t"), sku, 50));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));

        var first = await shopper.TrackAsync(AddToCart(sku, 30));
        Assert.True(first.GetProperty("accepted").GetBoolean());
        Assert.Null(await shopper.NextPushAsync(TimeSpan.FromMilliseconds(400)));

        await shopper.TrackAsync(AddToCart(sku, 30));
        var push = await shopper.NextPushAsync();
        Assert.NotNull(push);
        Assert.Equal("offer", push.Value.GetProperty("kind").GetString());
        Assert.Equal("SAVE10", push.Value.GetProperty("code").GetString());
        Assert.Equal(10, push.Value.GetProperty("discount").GetProperty("value").GetDecimal());
    }

    [Fact]
    public async Task Repeated_event_id_is_reported_duplicate_and_ignored()
    {
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        var e = AddToCart("dup-sku", 5, "fixed-id");
        Assert.False((await shopper.TrackAsync(e)).GetProperty("duplicate").GetBoolean());
        Assert.True((await shopper.TrackAsync(e)).GetProperty("duplicate").GetBoolean());
        Assert.Equal(1, (await shopper.StateAsync()).GetProperty("basket").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Bad_event_raises_a_readable_hub_error_and_changes_nothing()
    {
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        var error = await Assert.ThrowsAsync<HubException>(() => shopper.TrackAsync(new { id = NewId("e"), type = "add_to_cart", quantity = 1 }));
        Assert.Contains("productId", error.Message);
        var unknown = await Assert.ThrowsAsync<HubException>(() => shopper.TrackAsync(new { id = NewId("e"), type = "teleport" }));
        Assert.Contains("unknown event type", unknown.Message);
        var refund = await Assert.ThrowsAsync<HubException>(() => shopper.TrackAsync(new { id = NewId("e"), type = "refund", orderId = "o1" }));
        Assert.Contains("server-only", refund.Message);

        var state = await shopper.StateAsync();
        Assert.Equal(0, state.GetProperty("basket").GetProperty("count").GetInt32());
        Assert.Equal(0, state.GetProperty("recentEvents").GetArrayLength());
    }

    [Fact]
    public async Task Every_connection_of_a_shopper_gets_the_push_and_no_one_else_does()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(OfferTrigger(NewId("t"), sku, 1));
        var shopperId = NewId("s");
        await using var tab1 = await Shop.ConnectAsync(shopperId);
        await using var tab2 = await Shop.ConnectAsync(shopperId);
        await using var stranger = await Shop.ConnectAsync(NewId("s"));

        await tab1.TrackAsync(AddToCart(sku, 10));
        Assert.NotNull(await tab1.NextPushAsync());
        Assert.NotNull(await tab2.NextPushAsync());
        Assert.Null(await stranger.NextPushAsync(TimeSpan.FromMilliseconds(400)));

        var strangerState = await stranger.StateAsync();
        Assert.NotEqual(shopperId, strangerState.GetProperty("shopperId").GetString());
        Assert.Equal(0, strangerState.GetProperty("basket").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_tab_closing_leaves_the_shoppers_other_tabs_subscribed()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(OfferTrigger(NewId("t"), sku, 1));
        var shopperId = NewId("s");
        var tab1 = await Shop.ConnectAsync(shopperId);
        await using var tab2 = await Shop.ConnectAsync(shopperId);

        await tab1.DisposeAsync();
        // The gateway handles the close after the client has gone: give it that moment, so an
        // unsubscribe it wrongly made for the shopper's last connection would have happened.
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        await tab2.TrackAsync(AddToCart(sku, 10));
        Assert.NotNull(await tab2.NextPushAsync());
    }

    [Fact]
    public async Task Shopper_identity_comes_only_from_the_token()
    {
        var me = NewId("s");
        await using var shopper = await Shop.ConnectAsync(me);
        // A payload naming another shopper cannot act as them: the field is not even part of an event.
        await shopper.TrackAsync(new { id = NewId("e"), type = "page_view", shopperId = "victim" });
        Assert.Equal(me, (await shopper.StateAsync()).GetProperty("shopperId").GetString());
        var victim = await Shop.Marketer().GetAsync("/api/shoppers/victim");
        Assert.Equal(HttpStatusCode.NotFound, victim.StatusCode);
    }

    [Fact]
    public async Task Pending_offer_made_while_offline_is_delivered_on_connect()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(OfferTrigger(NewId("t"), sku, 1));
        var shopperId = NewId("s");
        var response = await Shop.Backend().PostAsJsonAsync("/api/events",
            new { shopperId, events = new[] { AddToCart(sku, 20) } });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        await using var shopper = await Shop.ConnectAsync(shopperId);
        var push = await shopper.NextPushAsync();
        Assert.NotNull(push);
        Assert.Equal("offer", push.Value.GetProperty("kind").GetString());

        // Reported shown, it is not replayed on the next connection.
        await shopper.TrackAsync(new { id = NewId("e"), type = "nudge_shown", nudgeId = push.Value.GetProperty("id").GetString() });
        await using var again = await Shop.ConnectAsync(shopperId);
        Assert.Null(await again.NextPushAsync(TimeSpan.FromMilliseconds(400)));
    }

    [Fact]
    public async Task Trigger_edit_is_live_within_a_second()
    {
        var sku = NewId("sku");
        var id = NewId("t");
        await Shop.CreateTriggerAsync(OfferTrigger(id, sku, 1000));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(AddToCart(sku, 10));
        Assert.Null(await shopper.NextPushAsync(TimeSpan.FromMilliseconds(300)));

        var put = await Shop.Marketer().PutAsync($"/api/triggers/{id}",
            new StringContent(OfferTrigger(id, sku, 5), System.Text.Encoding.UTF8, "application/json"));
        put.EnsureSuccessStatusCode();
        Assert.Equal(2, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());

        await Task.Delay(TimeSpan.FromSeconds(1));
        await shopper.TrackAsync(AddToCart(sku, 10));
        Assert.NotNull(await shopper.NextPushAsync(TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public async Task Missing_forged_and_expired_tokens_are_refused()
    {
        var noToken = new HubConnectionBuilder().WithUrl(fixture.Gateway.BaseUrl + "/hubs/shopper").Build();
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => noToken.StartAsync());

        var forged = Jwt.Sign(new { sub = "alice", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }, "not-the-key-not-the-key-not-the-key!!");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Shop.ConnectWithTokenAsync(forged));

        var expired = Jwt.Sign(new { sub = "alice", exp = DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds() }, fixture.Gateway.SigningKey);
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Shop.ConnectWithTokenAsync(expired));

        var unsigned = Jwt.Unsigned(new { sub = "alice", exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() });
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Shop.ConnectWithTokenAsync(unsigned));

        // A token a backend minted itself with the shared key works (CONTRACT.md §2).
        var minted = Jwt.Sign(new { sub = NewId("s"), exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }, fixture.Gateway.SigningKey);
        await using var ok = await Shop.ConnectWithTokenAsync(minted);
    }
}
