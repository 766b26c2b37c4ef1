using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>Recommendations learned from purchases, the NPS loop, and one customer across an anonymous session.</summary>
public sealed class WordOfMouthTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private Storefront Shop => fixture.Storefront;

    private async Task PostEventsAsync(string shopperId, params object[] events)
    {
        var response = await Shop.Backend().PostAsJsonAsync("/api/events", new { shopperId, events });
        Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
    }

    private static object Purchase(params (string Product, int Quantity)[] lines) => new
    {
        id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 20m * lines.Length,
        lines = lines.Select(l => new { productId = l.Product, quantity = l.Quantity, price = 20m }).ToArray(),
    };

    /// <summary>Learning is flushed about once a second: poll the route until it shows, for a few seconds.</summary>
    private async Task<JsonElement> PollAsync(string route, Func<JsonElement, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (true)
        {
            var body = await Shop.Backend().GetFromJsonAsync<JsonElement>(route);
            if (done(body) || DateTime.UtcNow > deadline) return body;
            await Task.Delay(200);
        }
    }

    private static string[] ProductIds(JsonElement body) =>
        [.. body.GetProperty("products").EnumerateArray().Select(p => p.GetProperty("productId").GetString()!)];

    private static async Task<JsonElement?> NextOfKindAsync(Connection connection, string kind)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (DateTime.UtcNow < deadline)
        {
            if (await connection.NextPushAsync(deadline - DateTime.UtcNow) is not { } push) return null;
            if (push.GetProperty("kind").GetString() == kind) return push;
        }
        return null;
    }

    [Fact]
    public async Task Also_bought_reflects_purchases_just_made_and_drives_a_recommendations_push()
    {
        var (tent, pegs, lamp, stove) = (NewId("p"), NewId("p"), NewId("p"), NewId("p"));
        await PostEventsAsync(NewId("s"), Purchase((tent, 1), (pegs, 2), (lamp, 1)));
        await PostEventsAsync(NewId("s"), Purchase((tent, 1), (lamp, 1)));
        await PostEventsAsync(NewId("s"), Purchase((tent, 1), (stove, 1)));

        var alsoBought = await PollAsync($"/api/products/{tent}/also-bought", b => ProductIds(b).Length == 3);
        Assert.Equal(lamp, ProductIds(alsoBought)[0]);
        Assert.Equal(new[] { pegs, stove }.Order(), ProductIds(alsoBought).Skip(1).Order());
        Assert.Equal(2, alsoBought.GetProperty("products")[0].GetProperty("count").GetInt64());
        var asMarketer = await Shop.Marketer().GetAsync($"/api/products/{tent}/also-bought");
        Assert.Equal(HttpStatusCode.OK, asMarketer.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Shop.Client(null).GetAsync($"/api/products/{tent}/also-bought")).StatusCode);

        var triggerId = NewId("t");
        await Shop.CreateTriggerAsync($$"""
            { "id": "{{triggerId}}", "name": "Complete the set", "on": { "event": "add_to_cart" },
              "conditions": [ { "fact": "event.productId", "op": "eq", "value": "{{tent}}" } ],
              "action": { "type": "recommendations", "title": "Campers also bought", "message": "Complete your set",
                          "strategy": "alsoBought", "count": 3, "ttlSeconds": 600 } }
            """);
        var shopperId = NewId("s");
        await using var connection = await Shop.ConnectAsync(shopperId);
        await connection.TrackAsync(new { id = NewId("e"), type = "add_to_cart", productId = pegs, price = 5, quantity = 1 });
        await connection.TrackAsync(new { id = NewId("e"), type = "add_to_cart", productId = tent, price = 200, quantity = 1 });

        var push = await NextOfKindAsync(connection, "recommendations");
        Assert.NotNull(push);
        Assert.Equal("alsoBought", push.Value.GetProperty("strategy").GetString());
        // The pegs are in the basket already.
        Assert.Equal([lamp, stove], push.Value.GetProperty("productIds").EnumerateArray().Select(p => p.GetString()));
    }

    [Fact]
    public async Task Trending_lists_the_bestsellers_of_the_last_day()
    {
        var (best, next) = (NewId("p"), NewId("p"));
        await PostEventsAsync(NewId("s"), Purchase((best, 900), (next, 800)));
        var trending = await PollAsync("/api/products/trending", b => ProductIds(b).Contains(next));
        Assert.Equal([best, next], ProductIds(trending).Take(2));
        Assert.Equal(24, trending.GetProperty("windowHours").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, (await Shop.Backend().GetAsync("/api/products/trending?count=0")).StatusCode);
    }

    [Fact]
    public async Task Anonymous_basket_is_on_the_customer_after_a_merge_and_merging_twice_is_harmless()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        var (mug, tea) = (NewId("p"), NewId("p"));
        await PostEventsAsync(customerId, new { id = NewId("e"), type = "add_to_cart", productId = tea, price = 4, quantity = 1, channel = "app" });
        await using (var browser = await Shop.ConnectAsync(anonymousId))
            await browser.TrackAsync(new { id = NewId("e"), type = "add_to_cart", productId = mug, price = 12, quantity = 2 });

        var merge = new { anonymousId, customerId };
        var first = await Shop.Backend().PostAsJsonAsync("/api/identities", merge);
        Assert.True(first.StatusCode == HttpStatusCode.OK, await first.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await Shop.Backend().PostAsJsonAsync("/api/identities", merge)).StatusCode);

        var customer = await Shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/shoppers/{customerId}");
        var basket = customer.GetProperty("basket");
        Assert.Equal(3, basket.GetProperty("count").GetInt32());
        Assert.Equal(28m, basket.GetProperty("total").GetDecimal());

        // A token minted for the anonymous id now acts as the customer.
        await using var again = await Shop.ConnectAsync(anonymousId);
        var state = await again.StateAsync();
        Assert.Equal(customerId, state.GetProperty("shopperId").GetString());
        await again.TrackAsync(new { id = NewId("e"), type = "remove_from_cart", productId = mug, quantity = 2 });
        customer = await Shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/shoppers/{customerId}");
        Assert.Equal(1, customer.GetProperty("basket").GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task Erasing_a_customer_also_erases_the_anonymous_id_merged_into_it()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        await PostEventsAsync(anonymousId, new { id = NewId("e"), type = "add_to_cart", productId = NewId("p"), price = 3, quantity = 1 });
        Assert.Equal(HttpStatusCode.OK, (await Shop.Backend().PostAsJsonAsync("/api/identities", new { anonymousId, customerId })).StatusCode);
        Assert.Equal(customerId, (await Shop.Marketer().GetFromJsonAsync<JsonElement>($"/api/shoppers/{anonymousId}")).GetProperty("shopperId").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await Shop.Marketer().DeleteAsync($"/api/shoppers/{customerId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/shoppers/{customerId}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync($"/api/shoppers/{anonymousId}")).StatusCode);
    }

    [Fact]
    public async Task Identities_are_validated_and_need_the_storefront_key()
    {
        var id = NewId("s");
        var self = await Shop.Backend().PostAsJsonAsync("/api/identities", new { anonymousId = id, customerId = id });
        Assert.Equal(HttpStatusCode.BadRequest, self.StatusCode);
        Assert.True((await self.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("customerId", out _));
        var missing = await Shop.Backend().PostAsJsonAsync("/api/identities", new { customerId = id });
        Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Shop.Marketer().PostAsJsonAsync("/api/identities", new { anonymousId = NewId("a"), customerId = id })).StatusCode);
    }

    /// <summary>The README's NPS loop: survey after purchase, promoters asked to refer at once, detractors offered recovery.</summary>
    [Fact]
    public async Task Nps_loop_asks_promoters_to_refer_and_offers_detractors_a_recovery()
    {
        var suffix = NewId("loop");
        foreach (var trigger in NpsLoopTriggers(suffix)) await Shop.CreateTriggerAsync(trigger);

        await using var promoter = await Shop.ConnectAsync(NewId("s"));
        await promoter.TrackAsync(new { id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 80 });
        var survey = await NextOfKindAsync(promoter, "survey");
        Assert.Equal("nps", survey!.Value.GetProperty("survey").GetString());
        await promoter.TrackAsync(new { id = NewId("e"), type = "nps_response", score = 10 });
        var ask = await NextOfKindAsync(promoter, "referralPrompt");
        Assert.Equal($"nps-promoter-referral-{suffix}", ask!.Value.GetProperty("triggerId").GetString());
        Assert.False(string.IsNullOrEmpty(ask.Value.GetProperty("code").GetString()));

        await using var detractor = await Shop.ConnectAsync(NewId("s"));
        await detractor.TrackAsync(new { id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 80 });
        Assert.NotNull(await NextOfKindAsync(detractor, "survey"));
        await detractor.TrackAsync(new { id = NewId("e"), type = "nps_response", score = 3 });
        var recovery = await NextOfKindAsync(detractor, "offer");
        Assert.Equal($"nps-detractor-recovery-{suffix}", recovery!.Value.GetProperty("triggerId").GetString());
        // A detractor's next purchase brings no referral ask either.
        await detractor.TrackAsync(new { id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 80 });
        var later = new List<string>();
        while (await detractor.NextPushAsync(TimeSpan.FromMilliseconds(800)) is { } push) later.Add(push.GetProperty("kind").GetString()!);
        Assert.DoesNotContain("referralPrompt", later);
        var state = await detractor.StateAsync();
        Assert.Equal(3, state.GetProperty("npsScore").GetInt32());
    }

    /// <summary>The README's triggers, with ids made unique per test run.</summary>
    private static string[] NpsLoopTriggers(string suffix) =>
    [
        $$"""
        { "id": "nps-after-purchase-{{suffix}}", "name": "Ask for NPS after a purchase", "priority": 50,
          "on": { "event": "purchase" },
          "conditions": [ { "fact": "shopper.npsScore", "op": "exists", "value": false } ],
          "action": { "type": "survey", "survey": "nps", "title": "One question",
                      "message": "How likely are you to recommend us to a friend?", "question": "How likely are you to recommend us to a friend?",
                      "ttlSeconds": 86400 },
          "limits": { "maxPerShopper": 1 } }
        """,
        $$"""
        { "id": "nps-promoter-referral-{{suffix}}", "name": "Promoters: ask for a referral at once", "priority": 100,
          "on": { "event": "nps_response" },
          "conditions": [ { "fact": "event.score", "op": "gte", "value": 9 } ],
          "action": { "type": "referralPrompt", "title": "Glad you love it!", "message": "Give your friends 15% off and get 10 EUR.",
                      "ttlSeconds": 86400 } }
        """,
        $$"""
        { "id": "nps-detractor-recovery-{{suffix}}", "name": "Detractors: service recovery", "priority": 100,
          "on": { "event": "nps_response" },
          "conditions": [ { "fact": "event.score", "op": "lte", "value": 6 } ],
          "action": { "type": "offer", "title": "We are sorry", "message": "Free shipping on your next order, on us.",
                      "discount": { "kind": "freeShipping", "value": 0 }, "codePrefix": "SORRY-", "ttlSeconds": 604800 } }
        """,
        $$"""
        { "id": "referral-after-purchase-{{suffix}}", "name": "Ask happy repeat buyers to refer", "priority": 40,
          "on": { "event": "purchase" },
          "conditions": [ { "fact": "shopper.orders", "op": "gte", "value": 2 },
                          { "fact": "shopper.npsClass", "op": "ne", "value": "detractor" } ],
          "action": { "type": "referralPrompt", "title": "Share the love", "message": "Give your friends 15% off.", "ttlSeconds": 86400 } }
        """,
    ];
}
