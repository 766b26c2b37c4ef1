using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>Trigger stats moving with traffic, and the simulator, over HTTP.</summary>
public sealed class InsightsTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Storefront Shop => fixture.Storefront;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>Stats are flushed about once a second: poll until they say what the test waits for.</summary>
    public static async Task<JsonElement> WaitForStatsAsync(Storefront shop, string triggerId, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        JsonElement stats;
        do
        {
            stats = await shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/triggers/{triggerId}/stats");
            if (done(stats)) return stats;
            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);
        Assert.Fail("stats did not get there: " + stats);
        return stats;
    }

    [Fact]
    public async Task Stats_move_as_traffic_flows()
    {
        var sku = NewId("sku");
        var id = NewId("t");
        await Shop.CreateTriggerAsync(GuardTests.Trigger(id, sku));
        var empty = await Shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/triggers/{id}/stats");
        Assert.Equal(0, empty.GetProperty("fired").GetInt64());

        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(new { id = NewId("e"), type = "add_to_cart", productId = sku, price = 25m, quantity = 1 });
        var push = await shopper.NextPushAsync();
        var nudgeId = push!.Value.GetProperty("id").GetString();
        await WaitForStatsAsync(Shop, id, s => s.GetProperty("fired").GetInt64() == 1 && s.GetProperty("delivered").GetInt64() == 1);

        await shopper.TrackAsync(new { id = NewId("e"), type = "nudge_shown", nudgeId });
        await shopper.TrackAsync(new { id = NewId("e"), type = "nudge_clicked", nudgeId });
        await shopper.TrackAsync(new { id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 25m });
        var stats = await WaitForStatsAsync(Shop, id, s => s.GetProperty("converted").GetInt64() == 1);
        Assert.Equal(1, stats.GetProperty("shown").GetInt64());
        Assert.Equal(1, stats.GetProperty("clicked").GetInt64());
        Assert.Equal(0, stats.GetProperty("dismissed").GetInt64());
        Assert.Equal(25m, stats.GetProperty("revenue").GetDecimal());
        var uplift = stats.GetProperty("uplift");
        Assert.Equal(1.0, uplift.GetProperty("treatedRate").GetDouble());
        Assert.Equal(1, uplift.GetProperty("treatedSize").GetInt64());
        Assert.Equal(0, uplift.GetProperty("holdoutSize").GetInt64());
        Assert.Equal(JsonValueKind.Null, uplift.GetProperty("difference").ValueKind);
    }

    [Fact]
    public async Task Stats_of_an_unknown_trigger_are_404()
    {
        var response = await Shop.Marketer().GetAsync($"/api/triggers/{NewId("nope")}/stats");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Simulate_reports_the_pushes_of_a_draft_and_touches_nothing_real()
    {
        var id = NewId("draft");
        var response = await Shop.Marketer().PostAsync("/api/triggers/simulate", Json($$"""
            { "trigger": { "id": "{{id}}", "name": "draft", "on": { "event": "add_to_cart" },
                           "conditions": [ { "fact": "basket.total", "op": "gte", "value": 50 } ],
                           "action": { "type": "offer", "title": "t", "message": "m", "discount": { "kind": "percent", "value": 10 }, "code": "SIM10" },
                           "limits": { "maxPerShopper": 1 } },
              "events": [ { "id": "1", "type": "add_to_cart", "productId": "a", "price": 30, "quantity": 1 },
                          { "id": "2", "type": "add_to_cart", "productId": "b", "price": 30, "quantity": 1 },
                          { "id": "3", "type": "add_to_cart", "productId": "c", "price": 30, "quantity": 1 } ] }
            """));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var push = Assert.Single(body.GetProperty("pushes").EnumerateArray());
        Assert.Equal(1, push.GetProperty("eventIndex").GetInt32());
        Assert.False(push.GetProperty("heldOut").GetBoolean());
        Assert.Equal("SIM10", push.GetProperty("push").GetProperty("code").GetString());

        // No shopper, trigger or counter came of it.
        var shopperId = body.GetProperty("shopperId").GetString();
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/shoppers/{shopperId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/triggers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/triggers/{id}/stats")).StatusCode);
    }

    [Fact]
    public async Task Simulate_names_each_bad_field()
    {
        var response = await Shop.Marketer().PostAsync("/api/triggers/simulate", Json("""
            { "trigger": { "name": "draft", "on": { "event": "add_to_cart" },
                           "conditions": [ { "fact": "basket.total", "op": "bigger", "value": 50 } ],
                           "action": { "type": "offer", "title": "t", "message": "m", "discount": { "kind": "percent", "value": 10 }, "code": "X" } },
              "events": [ { "id": "1", "type": "page_view" }, { "id": "2", "type": "page_view" }, { "id": "3", "type": "teleport" } ] }
            """));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("trigger.conditions[0].op", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("events[2].type", out _), errors.ToString());

        var missing = await Shop.Marketer().PostAsync("/api/triggers/simulate", Json("{ }"));
        var missingErrors = (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(missingErrors.TryGetProperty("trigger", out _) && missingErrors.TryGetProperty("events", out _), missingErrors.ToString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Backend().PostAsync("/api/triggers/simulate", Json("{ }"))).StatusCode);
    }
}
