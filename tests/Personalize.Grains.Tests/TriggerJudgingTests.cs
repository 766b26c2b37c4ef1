using Personalize.Triggers;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>
/// The shopper model as the trigger evaluator's fact source: count answers shared within a judgement must
/// follow the click ring from one event to the next, and judging must not allocate (issue 6).
/// </summary>
public sealed class TriggerJudgingTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
    private static readonly IDailyBudget Budget = new LocalDailyBudget();

    private static ShopperModel NewModel() =>
        new(NewId("s"), new ShopperState(), new NudgeOptions { MaxPerShopperPerHour = 10_000 }, NoTriggerStats.Instance);

    private static CompiledCatalog Catalog(IEnumerable<string> triggers) =>
        CompiledCatalog.Compile(1, triggers.Select(json =>
        {
            Assert.True(TriggerParser.TryParse(json, null, out var trigger, out var errors), string.Join("; ", errors.Keys));
            return (trigger!, false);
        }));

    /// <summary>"k{n}" fires when exactly n shoe views fall within ten minutes: the firing id reads out the count.</summary>
    private static CompiledCatalog CountReadOut() => Catalog(Enumerable.Range(0, 121).Select(n => OfferTrigger($"k{n}", "product_view",
        $$"""{ "fact": "count", "where": { "type": "product_view", "categoryId": "shoes" }, "withinSeconds": 600, "op": "eq", "value": {{n}} }""")));

    /// <summary>What a count condition means: matching clicks, newest first, down to the first one out of the window.</summary>
    private static int PlainCount(ShopperState state, DateTimeOffset now)
    {
        var count = 0;
        for (var i = state.Clicks.Count - 1; i >= 0 && state.Clicks[i].At >= now.AddSeconds(-600); i--)
        {
            if (state.Clicks[i].Type == EventTypes.ProductView && state.Clicks[i].CategoryId == "shoes") count++;
        }
        return count;
    }

    private static async Task<Verdict> TrackAsync(ShopperModel model, CompiledCatalog catalog, ShopperEvent shopperEvent, DateTimeOffset now)
    {
        var e = model.Accept(shopperEvent with { At = now }, now)!;
        model.Apply(e, now);
        return await model.JudgeEventAsync(catalog, e, now, Budget);
    }

    [Fact]
    public async Task Count_answers_follow_the_ring_from_event_to_event()
    {
        var model = NewModel();
        var catalog = CountReadOut();
        var now = Start;

        // 150 views: the ring fills and drops its oldest; time runs mostly forward, sometimes back (a
        // late event), and pauses long enough for the window to empty; halfway the catalog is recompiled.
        for (var i = 0; i < 150; i++)
        {
            now = now.AddSeconds(i % 37 == 0 ? 900 : i % 11 == 0 ? -40 : 15);
            if (i == 75) catalog = CountReadOut();
            var view = Event(EventTypes.ProductView, $"p{i % 9}", categoryId: i % 3 == 0 ? "hats" : "shoes");
            var verdict = await TrackAsync(model, catalog, view, now);

            Assert.Equal($"k{PlainCount(model.State, now)}", verdict.Nudge?.TriggerId);
        }
    }

    [Fact]
    public async Task A_changed_ring_is_counted_again_within_the_same_instant()
    {
        var model = NewModel();
        var catalog = CountReadOut();

        for (var n = 1; n <= 3; n++)
        {
            var verdict = await TrackAsync(model, catalog, Event(EventTypes.ProductView, "p1", categoryId: "shoes"), Start);
            Assert.Equal($"k{n}", verdict.Nudge?.TriggerId);
        }

        // Withdrawing consent empties the ring; the next answer must not come from the clicks that were there.
        await TrackAsync(model, catalog, Event(EventTypes.Consent) with { Granted = false }, Start);
        await TrackAsync(model, catalog, Event(EventTypes.Consent) with { Granted = true }, Start);
        Assert.Equal("k1", (await TrackAsync(model, catalog, Event(EventTypes.ProductView, "p2", categoryId: "shoes"), Start)).Nudge?.TriggerId);
    }

    [Fact]
    public async Task Judging_a_busy_shopper_against_many_triggers_allocates_nothing_when_none_matches()
    {
        var model = NewModel();
        var now = Start;
        for (var i = 0; i < 120; i++)
        {
            var type = (i % 4) switch { 0 => EventTypes.Search, 1 => EventTypes.AddToCart, _ => EventTypes.ProductView };
            now = now.AddSeconds(30);
            await TrackAsync(model, CompiledCatalog.Empty, Event(type, $"p{i % 13}", 12m, 1, i % 2 == 0 ? "shoes" : "bags"), now);
        }

        // Counts, basket, event and shopper facts and any groups, none of which holds for this shopper.
        var catalog = Catalog(Enumerable.Range(0, 100).Select(i => OfferTrigger($"t{i}", "add_to_cart", (i % 4) switch
        {
            0 => $$"""{ "fact": "count", "where": { "type": "product_view", "categoryId": "shoes" }, "withinSeconds": {{600 + i}}, "op": "gte", "value": 500 }""",
            1 => $$"""{ "fact": "basket.total", "op": "gte", "value": 100000 }, { "fact": "count", "where": { "type": "search" }, "withinSeconds": 3600, "op": "gte", "value": {{i}} }""",
            2 => $$"""{ "any": [ { "fact": "basket.hasProduct", "op": "eq", "value": "none-{{i}}" }, { "fact": "event.price", "op": "gt", "value": 1000 } ] }""",
            _ => """{ "fact": "shopper.orders", "op": "gte", "value": 1 }, { "fact": "shopper.npsClass", "op": "eq", "value": "promoter" }""",
        }, priority: i, limits: """{ "cooldownSeconds": 60 }""")));
        var e = model.Accept(Event(EventTypes.AddToCart, "p1", 12m, 1, "shoes") with { At = now }, now)!;
        model.Apply(e, now);

        // Warm-up: tiered JIT and the first tally allocate their buffers once.
        for (var i = 0; i < 200; i++) Assert.Null((await model.JudgeEventAsync(catalog, e, now, Budget)).Nudge);

        var (synchronous, pushes) = (0, 0);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2_000; i++)
        {
            var pending = model.JudgeEventAsync(catalog, e, now, Budget);
            if (pending.IsCompletedSuccessfully) synchronous++;
            if ((await pending).Nudge is not null) pushes++;
        }
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal((2_000, 0), (synchronous, pushes));
        Assert.Equal(0, allocated);
    }

    [Fact]
    public async Task Shoppers_judged_in_turn_share_no_answers_through_the_pooled_memo()
    {
        // Both triggers ask the same facts of every shopper; only the shopper's own state may answer them.
        var catalog = Catalog(
        [
            OfferTrigger("rich", EventTypes.PageView, """{ "fact": "basket.total", "op": "gt", "value": 50 }""", priority: 2),
            OfferTrigger("shoes", EventTypes.PageView,
                """{ "fact": "count", "where": { "type": "product_view", "categoryId": "shoes" }, "withinSeconds": 600, "op": "gte", "value": 3 }""", priority: 1),
        ]);
        var (rich, plain) = (NewModel(), NewModel());
        var now = Start;
        await TrackAsync(rich, catalog, Event(EventTypes.AddToCart, "p1", 60m, 1, "bags"), now);
        for (var i = 0; i < 3; i++) await TrackAsync(rich, catalog, Event(EventTypes.ProductView, $"p{i}", categoryId: "shoes"), now);

        for (var round = 0; round < 3; round++)
        {
            now = now.AddSeconds(1);
            Assert.Equal("rich", (await TrackAsync(rich, catalog, Event(EventTypes.PageView), now)).Nudge?.TriggerId);
            Assert.Null((await TrackAsync(plain, catalog, Event(EventTypes.PageView), now)).Nudge);
        }

        // The plain shopper's own shoe views now count, and only they.
        for (var i = 0; i < 3; i++) await TrackAsync(plain, catalog, Event(EventTypes.ProductView, $"q{i}", categoryId: "shoes"), now);
        Assert.Equal("shoes", (await TrackAsync(plain, catalog, Event(EventTypes.PageView), now)).Nudge?.TriggerId);
        Assert.Equal("rich", (await TrackAsync(rich, catalog, Event(EventTypes.PageView), now)).Nudge?.TriggerId);
    }

    [Fact]
    public void A_returned_scratch_remembers_nothing_for_its_next_judgement()
    {
        var catalog = CountReadOut();
        var count = catalog.ClickCounts[0];
        var first = JudgementScratch.Rent();
        first.Begin(catalog, EventTypes.ProductView, Start);
        first.NumbersKnown = ulong.MaxValue;
        first.CountKeys[count.Slot] = count;
        first.CountStamps[count.Slot] = first.Stamp;
        first.Event = Event(EventTypes.ProductView);
        Assert.True(first.IsAnswered(count));
        JudgementScratch.Return(first);
        Assert.Null(first.Event);

        var next = JudgementScratch.Rent();
        Assert.Same(first, next);
        next.Begin(catalog, EventTypes.ProductView, Start);
        Assert.Equal(0UL, next.NumbersKnown);
        Assert.False(next.IsAnswered(count));
        JudgementScratch.Return(next);
    }

    [Fact]
    public async Task A_shopper_holds_no_judging_memo_between_events()
    {
        var model = NewModel();
        await TrackAsync(model, CountReadOut(), Event(EventTypes.ProductView, "p1", categoryId: "shoes"), Start);

        var fields = typeof(ShopperModel).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic);
        Assert.Null(fields.Single(f => f.FieldType == typeof(JudgementScratch)).GetValue(model));
        Assert.DoesNotContain(fields, f => f.FieldType == typeof(ConditionMemo) || f.FieldType == typeof(double?[]));
    }
}
