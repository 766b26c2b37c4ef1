using System.Diagnostics;
using Personalize.Triggers;
using Xunit.Abstractions;

namespace Personalize.Triggers.Tests;

public class CatalogTests(ITestOutputHelper output)
{
    private static TriggerDefinition Trigger(string id, int priority, string on = """{"event":"add_to_cart"}""", string extra = "") =>
        TestTriggers.Parse(TestTriggers.Json(id: id, priority: priority, on: on, extra: extra));

    [Fact]
    public void ForEvent_orders_by_priority_then_id()
    {
        var catalog = CompiledCatalog.Compile(7,
        [
            (Trigger("b", 10), false),
            (Trigger("a", 10), false),
            (Trigger("z", 50), false),
            (Trigger("low", -5), false),
            (Trigger("viewer", 99, """{"event":"product_view"}"""), false),
        ]);

        Assert.Equal(7, catalog.Version);
        Assert.Equal(["z", "a", "b", "low"], catalog.ForEvent("add_to_cart").ToArray().Select(t => t.Id));
        Assert.Equal(["viewer"], catalog.ForEvent("product_view").ToArray().Select(t => t.Id));
        Assert.True(catalog.ForEvent("purchase").IsEmpty);
    }

    [Fact]
    public void Paused_triggers_are_left_out_and_idle_triggers_listed_apart()
    {
        var catalog = CompiledCatalog.Compile(1,
        [
            (Trigger("paused", 100), true),
            (Trigger("live", 1), false),
            (Trigger("idle-short", 1, """{"idleSeconds":60}"""), false),
            (Trigger("idle-urgent", 9, """{"idleSeconds":600}"""), false),
        ]);

        Assert.Equal(["live"], catalog.ForEvent("add_to_cart").ToArray().Select(t => t.Id));
        Assert.Equal(["idle-urgent", "idle-short"], catalog.IdleTriggers.Select(t => t.Id));
        Assert.DoesNotContain(catalog.All, t => t.Id == "paused");
        Assert.False(catalog.TryGet("paused", out _));
        Assert.True(catalog.TryGet("live", out var live));
        Assert.Equal(1, live!.Priority);
    }

    [Fact]
    public void Empty_catalog_answers_nothing()
    {
        Assert.Empty(CompiledCatalog.Empty.All);
        Assert.True(CompiledCatalog.Empty.ForEvent("add_to_cart").IsEmpty);
        Assert.Empty(CompiledCatalog.Empty.IdleTriggers);
    }

    [Fact]
    public void Duplicate_ids_are_refused()
    {
        Assert.Throws<ArgumentException>(() => CompiledCatalog.Compile(1, [(Trigger("a", 1), false), (Trigger("a", 2), false)]));
    }

    [Fact]
    public void IsActiveAt_honours_enabled_and_the_half_open_window()
    {
        var windowed = CompiledTrigger.Compile(Trigger("w", 0, extra: ""","activeFrom":"2025-01-01T00:00:00Z","activeUntil":"2025-02-01T00:00:00Z" """));
        var start = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.False(windowed.IsActiveAt(start.AddTicks(-1)));
        Assert.True(windowed.IsActiveAt(start));
        Assert.True(windowed.IsActiveAt(start.AddDays(30)));
        Assert.False(windowed.IsActiveAt(start.AddDays(31)));

        var disabled = CompiledTrigger.Compile(Trigger("d", 0, extra: ""","enabled":false"""));
        Assert.False(disabled.IsActiveAt(start));
        Assert.True(CompiledTrigger.Compile(Trigger("open", 0)).IsActiveAt(DateTimeOffset.MaxValue));
    }

    [Fact]
    public void Evaluation_allocates_nothing()
    {
        // A hundred triggers mixing every node kind, so each evaluation path is measured.
        string[] conditions =
        [
            """{"fact":"basket.total","op":"gte","value":10}""",
            """{"fact":"event.categoryId","op":"in","value":["shoes","hats","bags"]}""",
            """{"fact":"shopper.npsClass","op":"ne","value":"detractor"}""",
            """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":600,"op":"gte","value":1}""",
            """{"any":[{"fact":"shopper.referred","op":"eq","value":true},{"fact":"basket.hasProduct","op":"in","value":["p9","p1"]}]}""",
            """{"fact":"event.price","op":"notIn","value":[1,2,3]}""",
            """{"fact":"event.productId","op":"exists"}""",
            """{"fact":"basket.hasCategory","op":"eq","value":"shoes"}""",
        ];
        var triggers = Enumerable.Range(0, 100).Select(i =>
            (TestTriggers.Parse(TestTriggers.Json($"[{string.Join(",", conditions.Take(1 + (i % conditions.Length)))}]", id: $"t{i}", priority: i % 7)), false));
        var catalog = CompiledCatalog.Compile(1, triggers);

        var facts = new FakeFacts()
            .Set(Fact.BasketTotal, 60.0).Set(Fact.EventCategoryId, "shoes").Set(Fact.ShopperNpsClass, "promoter")
            .Set(Fact.EventPrice, 19.99).Set(Fact.EventProductId, "p1");
        facts.BasketProducts.Add("p1");
        facts.BasketCategories.Add("shoes");
        for (var i = 0; i < 20; i++)
        {
            facts.Clicks.Add(new(facts.Now.AddSeconds(-30 * i), "product_view", $"p{i}", "shoes"));
        }

        // Warm-up: lets tiered JIT reach optimised code and fills lazy runtime caches before measuring.
        for (var i = 0; i < 100; i++)
        {
            EvaluateAll(catalog, facts);
        }

        var matched = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        var started = Stopwatch.GetTimestamp();
        for (var i = 0; i < 10_000; i++)
        {
            matched += EvaluateAll(catalog, facts);
        }

        var elapsed = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        output.WriteLine($"{elapsed.TotalMicroseconds / 10_000:F2} µs per event for 100 triggers (the fake scans its click list per count condition)");
        Assert.Equal(0, allocated);
        Assert.Equal(100 * 10_000, matched);
    }

    private static int EvaluateAll(CompiledCatalog catalog, FakeFacts facts)
    {
        var matched = 0;
        foreach (var trigger in catalog.ForEvent("add_to_cart"))
        {
            if (trigger.IsActiveAt(facts.Now) && trigger.Evaluate(facts))
            {
                matched++;
            }
        }

        return matched;
    }
}
