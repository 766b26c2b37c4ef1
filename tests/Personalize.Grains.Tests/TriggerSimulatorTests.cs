using Personalize.Triggers;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>The simulator runs the shopper grain's own rules in memory: no cluster here at all.</summary>
public sealed class TriggerSimulatorTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private static TriggerDefinition Parse(string json)
    {
        Assert.True(TriggerParser.TryParse(json, null, out var trigger, out var errors), string.Join("; ", errors.Keys));
        return trigger!;
    }

    private static ShopperEvent AddToCart(string sku, decimal price, DateTimeOffset? at = null) =>
        Event(EventTypes.AddToCart, sku, price, 1) with { At = at };

    private static Task<IReadOnlyList<SimulatedPush>> RunAsync(TriggerDefinition trigger, params ShopperEvent[] events) =>
        TriggerSimulator.RunAsync(trigger, events, "sim-shopper", new NudgeOptions { MaxPerShopperPerHour = 4 }, Start);

    [Fact]
    public async Task Reports_the_push_for_the_event_that_crossed_the_threshold()
    {
        var trigger = Parse(OfferTrigger("draft", "add_to_cart", """{ "fact": "basket.total", "op": "gte", "value": 50 }"""));
        var pushes = await RunAsync(trigger, AddToCart("a", 30m), AddToCart("b", 30m));
        var push = Assert.Single(pushes);
        Assert.Equal(1, push.EventIndex);
        Assert.Equal("SAVE10", push.Nudge.Code);
        Assert.False(push.HeldOut);
    }

    [Fact]
    public async Task Honours_max_per_shopper_and_cooldown()
    {
        var once = Parse(OfferTrigger("once", "add_to_cart", """{ "fact": "basket.count", "op": "gte", "value": 1 }""", limits: """{ "maxPerShopper": 1 }"""));
        Assert.Single(await RunAsync(once, AddToCart("a", 1m), AddToCart("b", 1m), AddToCart("c", 1m)));

        var cooled = Parse(OfferTrigger("cool", "add_to_cart", """{ "fact": "basket.count", "op": "gte", "value": 1 }""",
            limits: """{ "cooldownSeconds": 60 }"""));
        var pushes = await RunAsync(cooled, AddToCart("a", 1m, Start), AddToCart("b", 1m, Start.AddSeconds(30)), AddToCart("c", 1m, Start.AddSeconds(61)));
        Assert.Equal([0, 2], pushes.Select(p => p.EventIndex));
    }

    [Fact]
    public async Task Full_holdout_still_shows_the_push_flagged_held_out()
    {
        var trigger = Parse(OfferTrigger("held", "add_to_cart", """{ "fact": "basket.count", "op": "gte", "value": 1 }""", holdout: 100));
        var push = Assert.Single(await RunAsync(trigger, AddToCart("a", 1m)));
        Assert.True(push.HeldOut);
    }

    [Fact]
    public async Task Idle_trigger_fires_in_a_long_enough_gap_and_after_the_last_event()
    {
        var trigger = Parse(GuardTests.IdleTrigger("idle", 300, "a"));
        var pushes = await RunAsync(trigger,
            AddToCart("a", 10m, Start),
            Event(EventTypes.PageView) with { At = Start.AddSeconds(200) },
            Event(EventTypes.PageView) with { At = Start.AddSeconds(1000) });
        Assert.Equal([Start.AddSeconds(500), Start.AddSeconds(1300)], pushes.Select(p => p.At));
        Assert.All(pushes, p => Assert.Null(p.EventIndex));
    }

    [Fact]
    public async Task Withdrawn_consent_silences_the_draft()
    {
        var trigger = Parse(OfferTrigger("draft", "add_to_cart", """{ "fact": "basket.count", "op": "gte", "value": 1 }"""));
        Assert.Empty(await RunAsync(trigger, new ShopperEvent { Id = NewId("e"), Type = EventTypes.Consent, Granted = false }, AddToCart("a", 1m)));
    }
}
