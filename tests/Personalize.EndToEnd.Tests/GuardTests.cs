using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>The guards judged from outside, as a marketer would: real gateway process, real SignalR clients.</summary>
public sealed class GuardTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(500);

    private Storefront Shop => fixture.Storefront;

    private static object AddToCart(string sku, decimal price = 10) =>
        new { id = NewId("e"), type = "add_to_cart", productId = sku, price, quantity = 1 };

    /// <summary>A trigger on every add_to_cart of <paramref name="sku"/>, with optional extras (limits, holdout, priority).</summary>
    public static string Trigger(string id, string sku, string extra = "", int priority = 0, string code = "SAVE10") => $$"""
        { "id": "{{id}}", "name": "{{id}}", "priority": {{priority}}, "on": { "event": "add_to_cart" },
          "conditions": [ { "fact": "event.productId", "op": "eq", "value": "{{sku}}" } ],
          "action": { "type": "offer", "title": "10% off", "message": "for you", "discount": { "kind": "percent", "value": 10 },
                      "code": "{{code}}", "ttlSeconds": 3600 } {{extra}} }
        """;

    [Fact]
    public async Task Once_per_shopper_trigger_pushes_once_however_often_it_matches()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(Trigger(NewId("t"), sku, """, "limits": { "maxPerShopper": 1 }"""));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        for (var i = 0; i < 3; i++) await shopper.TrackAsync(AddToCart(sku));
        Assert.NotNull(await shopper.NextPushAsync());
        Assert.Null(await shopper.NextPushAsync(Quiet));
    }

    [Fact]
    public async Task Two_matching_triggers_give_one_push_from_the_higher_priority()
    {
        var sku = NewId("sku");
        var high = NewId("high");
        await Shop.CreateTriggerAsync(Trigger(NewId("low"), sku, priority: 1, code: "LOW"));
        await Shop.CreateTriggerAsync(Trigger(high, sku, priority: 9, code: "HIGH"));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(AddToCart(sku));
        var push = await shopper.NextPushAsync();
        Assert.Equal(high, push!.Value.GetProperty("triggerId").GetString());
        Assert.Null(await shopper.NextPushAsync(Quiet));
    }

    [Fact]
    public async Task Shopper_capped_by_the_global_limit_gets_no_more_that_hour()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(Trigger(NewId("t"), sku));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        for (var i = 0; i < 6; i++) await shopper.TrackAsync(AddToCart(sku));
        // Default Personalize:Nudges:MaxPerShopperPerHour is 4.
        for (var i = 0; i < 4; i++) Assert.NotNull(await shopper.NextPushAsync());
        Assert.Null(await shopper.NextPushAsync(Quiet));
    }

    [Fact]
    public async Task Withdrawn_consent_silences_everything_until_granted_again()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(Trigger(NewId("t"), sku));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(new { id = NewId("e"), type = "consent", granted = false });
        await shopper.TrackAsync(AddToCart(sku));
        Assert.Null(await shopper.NextPushAsync(Quiet));

        await shopper.TrackAsync(new { id = NewId("e"), type = "consent", granted = true });
        await shopper.TrackAsync(AddToCart(sku));
        Assert.NotNull(await shopper.NextPushAsync());
    }

    [Fact]
    public async Task Idle_trigger_fires_after_the_quiet_period_and_not_before()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync($$"""
            { "id": "{{NewId("idle")}}", "name": "Cart abandoned", "on": { "idleSeconds": 2 },
              "conditions": [ { "fact": "basket.hasProduct", "op": "eq", "value": "{{sku}}" } ],
              "action": { "type": "offer", "title": "Still there?", "message": "5% off", "discount": { "kind": "percent", "value": 5 },
                          "code": "BACK5" } }
            """);
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        var clock = Stopwatch.StartNew();
        await shopper.TrackAsync(AddToCart(sku));
        Assert.Null(await shopper.NextPushAsync(TimeSpan.FromSeconds(1.5)));

        var push = await shopper.NextPushAsync(TimeSpan.FromSeconds(5));
        Assert.NotNull(push);
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.9), $"fired after {clock.Elapsed}");
        Assert.Equal("BACK5", push.Value.GetProperty("code").GetString());
        // Once per idle spell: staying quiet does not fire it again.
        Assert.Null(await shopper.NextPushAsync(TimeSpan.FromSeconds(3)));
    }

    [Fact]
    public async Task Full_holdout_pushes_nothing_yet_counts_assignment_and_conversion()
    {
        var sku = NewId("sku");
        var id = NewId("t");
        await Shop.CreateTriggerAsync(Trigger(id, sku, """, "holdoutPercent": 100"""));
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(AddToCart(sku));
        Assert.Null(await shopper.NextPushAsync(Quiet));
        await shopper.TrackAsync(new { id = NewId("e"), type = "purchase", orderId = NewId("o"), orderTotal = 80.5m });

        var stats = await InsightsTests.WaitForStatsAsync(Shop, id, s => s.GetProperty("holdout").GetProperty("converted").GetInt64() == 1);
        Assert.Equal(0, stats.GetProperty("fired").GetInt64());
        Assert.Equal(1, stats.GetProperty("holdout").GetProperty("assigned").GetInt64());
        Assert.Equal(80.5m, stats.GetProperty("holdout").GetProperty("revenue").GetDecimal());
        Assert.Equal(1, stats.GetProperty("uplift").GetProperty("holdoutSize").GetInt64());
        Assert.Equal(1.0, stats.GetProperty("uplift").GetProperty("holdoutRate").GetDouble());
        Assert.Equal(JsonValueKind.Null, stats.GetProperty("uplift").GetProperty("treatedRate").ValueKind);
    }

    [Fact]
    public async Task Paused_trigger_is_silent_and_resumed_one_pushes_again()
    {
        var sku = NewId("sku");
        var id = NewId("t");
        await Shop.CreateTriggerAsync(Trigger(id, sku));
        Assert.Equal(HttpStatusCode.OK, (await Shop.Marketer().PostAsync($"/api/triggers/{id}/pause", null)).StatusCode);
        await using var shopper = await Shop.ConnectAsync(NewId("s"));
        await shopper.TrackAsync(AddToCart(sku));
        Assert.Null(await shopper.NextPushAsync(Quiet));

        Assert.Equal(HttpStatusCode.OK, (await Shop.Marketer().PostAsync($"/api/triggers/{id}/resume", null)).StatusCode);
        await shopper.TrackAsync(AddToCart(sku));
        Assert.NotNull(await shopper.NextPushAsync());
    }

    [Fact]
    public async Task Daily_budget_stops_pushes_across_shoppers()
    {
        var sku = NewId("sku");
        await Shop.CreateTriggerAsync(Trigger(NewId("t"), sku, """, "limits": { "maxPerDay": 2 }"""));
        var pushes = 0;
        for (var i = 0; i < 4; i++)
        {
            await using var shopper = await Shop.ConnectAsync(NewId("s"));
            await shopper.TrackAsync(AddToCart(sku));
            if (await shopper.NextPushAsync(Quiet) is not null) pushes++;
        }
        Assert.Equal(2, pushes);
    }
}

