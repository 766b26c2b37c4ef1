using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>Guards over time (cooldown, daily budget, idle spells), all on the fake clock: no test sleeps through a window.</summary>
[Collection(ClusterCollection.Name)]
public sealed class GuardTests(ClusterFixture fixture)
{
    private static Microsoft.Extensions.Time.Testing.FakeTimeProvider Clock => ClusterFixture.Clock;

    private IShopperGrain NewShopper() => fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));

    private async Task<string> AddTriggerAsync(string json)
    {
        var id = System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("id").GetString()!;
        Assert.NotNull(await fixture.Grains.GetGrain<ITriggerCatalogGrain>(0).CreateAsync(id, json));
        await fixture.RefreshCatalogAsync();
        return id;
    }

    private static string SkuCondition(string sku) => $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""";

    public static string IdleTrigger(string id, int idleSeconds, string sku, string? limits = null) => $$"""
        { "id": "{{id}}", "name": "{{id}}", "on": { "idleSeconds": {{idleSeconds}} },
          "conditions": [ { "fact": "basket.hasProduct", "op": "eq", "value": "{{sku}}" } ],
          "action": { "type": "offer", "title": "Still there?", "message": "Your basket waits", "discount": { "kind": "percent", "value": 5 },
                      "code": "BACK5", "ttlSeconds": 86400 }
          {{(limits is null ? "" : $", \"limits\": {limits}")}} }
        """;

    private static async Task<int> PendingAsync(IShopperGrain shopper, string triggerId) =>
        (await shopper.GetStateAsync()).PendingNudges.Count(n => n.TriggerId == triggerId);

    [Fact]
    public async Task Cooldown_holds_until_it_has_passed()
    {
        var sku = NewId("sku");
        var id = await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", SkuCondition(sku), limits: """{ "cooldownSeconds": 600 }"""));
        var shopper = NewShopper();
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Clock.Advance(TimeSpan.FromSeconds(599));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(1, await PendingAsync(shopper, id));

        Clock.Advance(TimeSpan.FromSeconds(1));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(2, await PendingAsync(shopper, id));
    }

    [Fact]
    public async Task Global_cap_is_a_rolling_hour()
    {
        var sku = NewId("sku");
        // Pushes outlive the hour, so the outbox counts every push made.
        await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", SkuCondition(sku), ttlSeconds: 86_400));
        var shopper = NewShopper();
        for (var i = 0; i < ClusterFixture.MaxPerShopperPerHour + 1; i++) await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(ClusterFixture.MaxPerShopperPerHour, (await shopper.GetStateAsync()).PendingNudges.Count);

        Clock.Advance(TimeSpan.FromMinutes(59));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(ClusterFixture.MaxPerShopperPerHour, (await shopper.GetStateAsync()).PendingNudges.Count);

        Clock.Advance(TimeSpan.FromMinutes(1));
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(ClusterFixture.MaxPerShopperPerHour + 1, (await shopper.GetStateAsync()).PendingNudges.Count);
    }

    [Fact]
    public async Task Daily_budget_is_shared_by_all_shoppers_and_renews_the_next_day()
    {
        var sku = NewId("sku");
        var id = await AddTriggerAsync(OfferTrigger(NewId("t"), "add_to_cart", SkuCondition(sku), limits: """{ "maxPerDay": 2 }"""));
        var pushed = 0;
        for (var i = 0; i < 4; i++)
        {
            var shopper = NewShopper();
            await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
            pushed += await PendingAsync(shopper, id);
        }
        Assert.Equal(2, pushed);
        Assert.Equal(2, await fixture.Grains.GetGrain<ITriggerBudgetGrain>(ITriggerBudgetGrain.Key(id, ClusterFixture.Clock.GetUtcNow())).GetGrantedAsync());

        Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = NewShopper();
        await tomorrow.TrackAsync(Event(EventTypes.AddToCart, sku, 1m, 1));
        Assert.Equal(1, await PendingAsync(tomorrow, id));
    }

    [Fact]
    public async Task Budget_grain_never_grants_past_the_day_limit()
    {
        var budget = fixture.Grains.GetGrain<ITriggerBudgetGrain>(NewId("t") + "/2026-01-01");
        Assert.Equal(4, await budget.LeaseAsync(4, 10));
        Assert.Equal(4, await budget.LeaseAsync(4, 10));
        Assert.Equal(2, await budget.LeaseAsync(4, 10));
        Assert.Equal(0, await budget.LeaseAsync(4, 10));
        Assert.Equal(10, await budget.GetGrantedAsync());
    }

    [Fact]
    public async Task Idle_trigger_fires_after_the_quiet_period_not_before_and_once_per_spell()
    {
        var sku = NewId("sku");
        var id = await AddTriggerAsync(IdleTrigger(NewId("idle"), 300, sku));
        var shopper = NewShopper();
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 20m, 1));

        Clock.Advance(TimeSpan.FromSeconds(299));
        await shopper.CheckIdleAsync();
        Assert.Equal(0, await PendingAsync(shopper, id));

        Clock.Advance(TimeSpan.FromSeconds(1));
        await shopper.CheckIdleAsync();
        Assert.Equal(1, await PendingAsync(shopper, id));

        // Still idle, much later: the same spell does not fire again.
        Clock.Advance(TimeSpan.FromSeconds(900));
        await shopper.CheckIdleAsync();
        Assert.Equal(1, await PendingAsync(shopper, id));

        // The storefront's report of the push is not shopper activity: no new spell.
        var nudge = (await shopper.GetStateAsync()).PendingNudges.Single(n => n.TriggerId == id);
        await shopper.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.NudgeShown, NudgeId = nudge.Id });
        Clock.Advance(TimeSpan.FromSeconds(301));
        await shopper.CheckIdleAsync();
        Assert.Empty((await shopper.GetStateAsync()).PendingNudges);

        // A new event starts a new spell.
        await shopper.TrackAsync(Event(EventTypes.PageView));
        Clock.Advance(TimeSpan.FromSeconds(300));
        await shopper.CheckIdleAsync();
        Assert.Equal(1, await PendingAsync(shopper, id));
    }

    [Fact]
    public async Task Idle_trigger_does_not_fire_when_its_conditions_do_not_hold_or_consent_is_withdrawn()
    {
        var sku = NewId("sku");
        var id = await AddTriggerAsync(IdleTrigger(NewId("idle"), 60, sku));
        var browsing = NewShopper();
        await browsing.TrackAsync(Event(EventTypes.ProductView, sku));
        var withdrawn = NewShopper();
        await withdrawn.TrackAsync(Event(EventTypes.AddToCart, sku, 20m, 1));
        await withdrawn.TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Consent, Granted = false });

        Clock.Advance(TimeSpan.FromSeconds(120));
        await browsing.CheckIdleAsync();
        await withdrawn.CheckIdleAsync();
        Assert.Equal(0, await PendingAsync(browsing, id));
        Assert.Equal(0, await PendingAsync(withdrawn, id));
    }

    [Fact]
    public async Task Idle_wait_survives_deactivation()
    {
        var sku = NewId("sku");
        var id = await AddTriggerAsync(IdleTrigger(NewId("idle"), 3600, sku));
        var shopperId = NewId("s");
        var shopper = fixture.Grains.GetGrain<IShopperGrain>(shopperId);
        await shopper.TrackAsync(Event(EventTypes.AddToCart, sku, 20m, 1));

        // A long wait is backed by a reminder, registered before Track answered.
        Assert.Contains(await fixture.ReadRemindersAsync(shopper.GetGrainId()), r => r.ReminderName == ShopperGrain.IdleReminderName);

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Clock.Advance(TimeSpan.FromSeconds(3600));
        // What the reminder does when it ticks on a fresh activation:
        await shopper.CheckIdleAsync();
        Assert.Equal(1, await PendingAsync(shopper, id));

        // Nothing is left to wait for: the reminder is dropped.
        Assert.DoesNotContain(await fixture.ReadRemindersAsync(shopper.GetGrainId()), r => r.ReminderName == ShopperGrain.IdleReminderName);
    }
}
