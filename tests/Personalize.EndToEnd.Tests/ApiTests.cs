using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>The HTTP contract: keys kept apart, problem+json naming each bad field, 404 and 409.</summary>
public sealed class ApiTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Storefront Shop => fixture.Storefront;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Keys_are_required_and_kept_apart()
    {
        var trigger = OfferTrigger(NewId("t"), "x", 1);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Client(null).GetAsync("/api/triggers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Client("wrong").GetAsync("/api/triggers")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Backend().PostAsync("/api/triggers", Json(trigger))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Marketer().PostAsJsonAsync("/api/shopper-tokens", new { shopperId = "a" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Backend().GetAsync("/api/shoppers/a")).StatusCode);
        var problem = await Shop.Client(null).GetAsync("/api/triggers");
        Assert.Equal("application/problem+json", problem.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Invalid_trigger_gets_400_naming_each_bad_field_and_is_not_stored()
    {
        var id = NewId("t");
        var response = await Shop.Marketer().PostAsync("/api/triggers", Json($$"""
            { "id": "{{id}}", "name": "x", "on": { "event": "add_to_cart" },
              "conditions": [ { "fact": "basket.total", "op": "bigger", "value": 50 }, { "fact": "shopper.mood", "op": "eq", "value": 1 } ],
              "action": { "type": "offer", "title": "t", "message": "m", "discount": { "kind": "percent", "value": 300 }, "code": "X" } }
            """));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("conditions[0].op", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("conditions[1].fact", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("action.discount.value", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/triggers/{id}")).StatusCode);

        var notJson = await Shop.Marketer().PostAsync("/api/triggers", Json("{ not json"));
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
    }

    [Fact]
    public async Task Trigger_crud_versions_conflicts_and_404s()
    {
        var id = NewId("t");
        var created = await Shop.Marketer().PostAsync("/api/triggers", Json(OfferTrigger(id, "x", 10)));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/triggers/{id}", created.Headers.Location?.ToString());
        Assert.Equal(HttpStatusCode.Conflict, (await Shop.Marketer().PostAsync("/api/triggers", Json(OfferTrigger(id, "x", 10)))).StatusCode);

        var list = await Shop.Marketer().GetFromJsonAsync<JsonElement>("/api/triggers");
        Assert.Contains(list.EnumerateArray(), t => t.GetProperty("id").GetString() == id);

        var put = await Shop.Marketer().PutAsync($"/api/triggers/{id}", Json(OfferTrigger(id, "x", 20)));
        Assert.Equal(2, (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("version").GetInt32());
        var mismatched = await Shop.Marketer().PutAsync($"/api/triggers/{id}", Json(OfferTrigger("other", "x", 20)));
        Assert.Equal(HttpStatusCode.BadRequest, mismatched.StatusCode);
        var unknown = NewId("t");
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().PutAsync($"/api/triggers/{unknown}", Json(OfferTrigger(unknown, "x", 1)))).StatusCode);

        var paused = await Shop.Marketer().PostAsync($"/api/triggers/{id}/pause", null);
        Assert.True((await paused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paused").GetBoolean());
        var resumed = await Shop.Marketer().PostAsync($"/api/triggers/{id}/resume", null);
        Assert.False((await resumed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("paused").GetBoolean());

        Assert.Equal(HttpStatusCode.NoContent, (await Shop.Marketer().DeleteAsync($"/api/triggers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/triggers/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().DeleteAsync($"/api/triggers/{id}")).StatusCode);
    }

    [Fact]
    public async Task Server_events_batch_is_all_or_nothing()
    {
        var shopperId = NewId("s");
        var bad = await Shop.Backend().PostAsJsonAsync("/api/events", new
        {
            shopperId,
            events = new object[]
            {
                new { id = NewId("e"), type = "add_to_cart", productId = "a", price = 5, quantity = 1 },
                new { id = NewId("e"), type = "purchase", orderId = "o1" },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("events[1].orderTotal", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/shoppers/{shopperId}")).StatusCode);

        var refund = await Shop.Backend().PostAsJsonAsync("/api/events", new
        {
            shopperId,
            events = new object[]
            {
                new { id = "p1", type = "purchase", orderId = "o1", orderTotal = 50 },
                new { id = "r1", type = "refund", orderId = "o1" },
                new { id = "p1", type = "purchase", orderId = "o1", orderTotal = 50 },
            },
        });
        Assert.Equal(HttpStatusCode.Accepted, refund.StatusCode);
        var counts = await refund.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, counts.GetProperty("accepted").GetInt32());
        Assert.Equal(1, counts.GetProperty("duplicates").GetInt32());

        var view = await Shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/shoppers/{shopperId}");
        Assert.Equal(1, view.GetProperty("orders").GetInt32());
    }

    [Fact]
    public async Task Token_request_is_validated()
    {
        var response = await Shop.Backend().PostAsJsonAsync("/api/shopper-tokens", new { shopperId = "", ttlSeconds = 5 });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("shopperId", out _));
        Assert.True(errors.TryGetProperty("ttlSeconds", out _));
    }

    [Fact]
    public async Task Operations_endpoints_answer()
    {
        var http = Shop.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/health/ready")).StatusCode);
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(new { id = NewId("e"), type = "page_view" });
        var metrics = await http.GetStringAsync("/metrics");
        Assert.Contains("personalize_events_ingested_total", metrics);
        Assert.Contains("personalize_connections", metrics);
        Assert.Contains("orleans", metrics, StringComparison.OrdinalIgnoreCase);
    }
}
