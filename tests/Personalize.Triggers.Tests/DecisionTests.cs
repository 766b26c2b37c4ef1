using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

/// <summary>
/// <see cref="TriggerDecision"/> judges the woken triggers together (shared steps, failed steps killing
/// every trigger that needs them, equality and threshold indexes). Whatever it shares, it must find exactly
/// the triggers that judging each one alone finds, in firing order.
/// </summary>
public class DecisionTests
{
    // A small pool, so random triggers share conditions, index several values of one field and often match.
    private static readonly string[] Leaves =
    [
        """{"fact":"event.categoryId","op":"eq","value":"shoes"}""",
        """{"fact":"event.categoryId","op":"eq","value":"hats"}""",
        """{"fact":"event.categoryId","op":"eq","value":"bags"}""",
        """{"fact":"event.categoryId","op":"ne","value":"shoes"}""",
        """{"fact":"event.categoryId","op":"ne","value":"hats"}""",
        """{"fact":"event.categoryId","op":"in","value":["shoes","hats"]}""",
        """{"fact":"event.categoryId","op":"exists"}""",
        """{"fact":"event.productId","op":"eq","value":"p1"}""",
        """{"fact":"event.productId","op":"eq","value":"p2"}""",
        """{"fact":"event.productId","op":"notIn","value":["p1"]}""",
        """{"fact":"event.channel","op":"eq","value":"app"}""",
        """{"fact":"event.channel","op":"eq","value":"web"}""",
        """{"fact":"shopper.npsClass","op":"eq","value":"promoter"}""",
        """{"fact":"shopper.npsClass","op":"ne","value":"passive"}""",
        """{"fact":"event.price","op":"gt","value":20}""",
        """{"fact":"basket.total","op":"gte","value":10}""",
        """{"fact":"basket.total","op":"gte","value":50}""",
        """{"fact":"basket.total","op":"gt","value":10}""",
        """{"fact":"basket.total","op":"lt","value":50}""",
        """{"fact":"basket.total","op":"lte","value":10}""",
        """{"fact":"basket.total","op":"lte","value":60}""",
        """{"fact":"basket.total","op":"eq","value":10}""",
        """{"fact":"event.price","op":"gte","value":30}""",
        """{"fact":"basket.count","op":"lt","value":2}""",
        """{"fact":"shopper.identified","op":"eq","value":true}""",
        """{"fact":"shopper.referred","op":"eq","value":false}""",
        """{"fact":"basket.hasCategory","op":"eq","value":"shoes"}""",
        """{"fact":"basket.hasCategory","op":"in","value":["hats","bags"]}""",
        """{"fact":"basket.hasProduct","op":"ne","value":"p1"}""",
        """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":600,"op":"gte","value":1}""",
        """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":600,"op":"gte","value":2}""",
        """{"fact":"count","where":{"type":"add_to_cart"},"withinSeconds":3600,"op":"lte","value":1}""",
        """{"fact":"count","where":{"type":"add_to_cart"},"withinSeconds":3600,"op":"lt","value":1}""",
        """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":600,"op":"gt","value":2}""",
    ];

    private static readonly string[] Windows =
    [
        "", "", "", ",\"enabled\":false", ",\"activeFrom\":\"2025-06-01T11:00:00Z\"",
        ",\"activeFrom\":\"2025-06-01T13:00:00Z\"", ",\"activeUntil\":\"2025-06-01T12:00:00Z\"",
    ];

    private static Gen<string> ConditionAt(int depth) => depth >= TriggerVocabulary.MaxDepth
        ? Gen.Elements(Leaves)
        : Gen.Frequency(
            (5, Gen.Elements(Leaves)),
            (1, Gen.Choose(1, 3).SelectMany(n => Gen.ArrayOf(ConditionAt(depth + 1), n)).Select(c => $$"""{"any":[{{string.Join(",", c)}}]}""")));

    /// <summary>A trigger document without its id (ids are numbered when the catalog is put together).</summary>
    private static Gen<Func<int, string>> Trigger =>
        from count in Gen.Choose(0, 4)
        from conditions in Gen.ArrayOf(ConditionAt(1), count)
        from priority in Gen.Choose(0, 3)
        from window in Gen.Elements(Windows)
        select new Func<int, string>(i => TestTriggers.Json($"[{string.Join(",", conditions)}]", id: $"t{i:000}", priority: priority, extra: window));

    private static Gen<CompiledCatalog> Catalog =>
        from size in Gen.Choose(1, 140)
        from triggers in Gen.ArrayOf(Trigger, size)
        select CompiledCatalog.Compile(1, triggers.Select((json, i) => (TestTriggers.Parse(json(i)), false)));

    private static Gen<FakeFacts> Shopper =>
        from category in Gen.Elements<string?>(null, "shoes", "hats", "bags", "socks")
        from product in Gen.Elements<string?>(null, "p1", "p2")
        from channel in Gen.Elements<string?>(null, "web", "app")
        from nps in Gen.Elements<string?>(null, "promoter", "passive")
        from price in Gen.Elements<double?>(null, 10, 30)
        from total in Gen.Elements<double?>(null, 0, 10, 60)
        from items in Gen.Elements<double?>(null, 0, 1, 3)
        from identified in Gen.Elements(true, false)
        from referred in Gen.Elements(true, false)
        from basketCategories in Gen.SubListOf(["shoes", "hats", "bags"])
        from basketProducts in Gen.SubListOf(["p1", "p2"])
        from views in Gen.Choose(0, 3)
        from adds in Gen.Choose(0, 2)
        select Facts(category, product, channel, nps, price, total, items, identified, referred, basketCategories, basketProducts, views, adds);

    private static FakeFacts Facts(
        string? category, string? product, string? channel, string? nps, double? price, double? total, double? items,
        bool identified, bool referred, IEnumerable<string> basketCategories, IEnumerable<string> basketProducts, int views, int adds)
    {
        var facts = new FakeFacts()
            .Set(Fact.EventType, "add_to_cart").Set(Fact.EventCategoryId, category).Set(Fact.EventProductId, product)
            .Set(Fact.EventChannel, channel).Set(Fact.ShopperNpsClass, nps).Set(Fact.EventPrice, price)
            .Set(Fact.BasketTotal, total).Set(Fact.BasketCount, items)
            .Set(Fact.ShopperIdentified, identified).Set(Fact.ShopperReferred, referred);
        facts.BasketCategories.AddRange(basketCategories);
        facts.BasketProducts.AddRange(basketProducts);
        for (var i = 0; i < views; i++)
        {
            facts.Clicks.Add(new(facts.Now.AddSeconds(-100 * (i + 1)), "product_view", $"p{i}", "shoes"));
        }

        for (var i = 0; i < adds; i++)
        {
            facts.Clicks.Add(new(facts.Now.AddSeconds(-1000 * (i + 1)), "add_to_cart", $"p{i}", "hats"));
        }

        return facts;
    }

    /// <summary>Every trigger that is active and matches, judged one by one: the reference.</summary>
    private static List<int> EachAlone(CompiledCatalog catalog, FakeFacts facts)
    {
        var woken = catalog.ForEvent("add_to_cart");
        var matches = new List<int>();
        for (var i = 0; i < woken.Length; i++)
        {
            if (woken[i].IsActiveAt(facts.Now) && woken[i].Evaluate(facts))
            {
                matches.Add(i);
            }
        }

        return matches;
    }

    /// <summary>Every match the decision finds, asking again from the next index as the grain does when limits pass one over.</summary>
    private static List<int> Together(CompiledCatalog catalog, FakeFacts facts, ConditionMemo memo)
    {
        var decision = catalog.DecisionFor("add_to_cart");
        memo.Begin(catalog);
        var matches = new List<int>();
        for (var i = decision.NextMatch(0, facts, memo); i >= 0; i = decision.NextMatch(i + 1, facts, memo))
        {
            matches.Add(i);
        }

        return matches;
    }

    [Property(MaxTest = 500)]
    public Property Decision_finds_the_triggers_that_judging_each_alone_finds() =>
        Prop.ForAll(Arb.From(Catalog), Arb.From(Shopper), Arb.From(Shopper), (catalog, first, second) =>
        {
            // One memo across judgements of different shoppers, as the grain's pooled scratch is used.
            var memo = new ConditionMemo();
            var expectedFirst = EachAlone(catalog, first);
            var expectedSecond = EachAlone(catalog, second);
            return (Together(catalog, first, memo).SequenceEqual(expectedFirst)
                    && Together(catalog, second, memo).SequenceEqual(expectedSecond)
                    && Together(catalog, first, memo).SequenceEqual(expectedFirst))
                .Label($"expected {string.Join(",", expectedFirst)} / {string.Join(",", expectedSecond)}, found {string.Join(",", Together(catalog, first, memo))} / {string.Join(",", Together(catalog, second, memo))}");
        });

    [Property(MaxTest = 200)]
    public Property Asking_from_any_index_finds_the_first_match_at_or_after_it() =>
        Prop.ForAll(Arb.From(Catalog), Arb.From(Shopper), Arb.From(Gen.Choose(0, 150)), (catalog, facts, start) =>
        {
            var expected = EachAlone(catalog, facts).Where(i => i >= start).DefaultIfEmpty(-1).First();
            var memo = new ConditionMemo();
            memo.Begin(catalog);
            return (catalog.DecisionFor("add_to_cart").NextMatch(start, facts, memo) == expected).Label($"expected {expected}");
        });

    [Fact]
    public void A_failed_event_field_question_drops_every_trigger_asking_it_without_counting()
    {
        var triggers = new[] { "shoes", "hats", "bags", "socks" }.Select((category, i) => TestTriggers.Parse(TestTriggers.Json(
            $$"""[{"fact":"event.categoryId","op":"eq","value":"{{category}}"},{"fact":"count","where":{"type":"product_view","categoryId":"{{category}}"},"withinSeconds":600,"op":"gte","value":1}]""",
            id: $"t{i}")));
        var catalog = CompiledCatalog.Compile(1, triggers.Select(t => (t, false)));
        var facts = new FakeFacts().Set(Fact.EventCategoryId, "bags");
        facts.Clicks.Add(new(facts.Now.AddSeconds(-5), "product_view", "p1", "bags"));
        var memo = new ConditionMemo();
        memo.Begin(catalog);

        var decision = catalog.DecisionFor("add_to_cart");
        var found = decision.NextMatch(0, facts, memo);

        Assert.Equal("t2", decision.Triggers[found].Id);
        Assert.Equal(1, facts.CountQuestions);
        Assert.Equal(-1, decision.NextMatch(found + 1, facts, memo));
        Assert.Equal(1, facts.CountQuestions);
    }

    [Fact]
    public void A_memo_begun_for_another_catalog_is_refused()
    {
        var catalog = CompiledCatalog.Compile(1, [(TestTriggers.Parse(TestTriggers.Json()), false)]);
        var other = CompiledCatalog.Compile(2, [(TestTriggers.Parse(TestTriggers.Json()), false)]);
        var memo = new ConditionMemo();
        memo.Begin(other);

        Assert.Throws<InvalidOperationException>(() => catalog.DecisionFor("add_to_cart").NextMatch(0, new FakeFacts(), memo));
        Assert.Equal(-1, catalog.DecisionFor("purchase").NextMatch(0, new FakeFacts(), memo));
    }
}
