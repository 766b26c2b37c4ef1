using Personalize.Triggers;

namespace Personalize.Triggers.Tests;

/// <summary>
/// What the triggers of one catalog share so an event costs each question once: count questions, memo
/// slots for equal conditions, the cheapest-first order. None of it may change an answer.
/// </summary>
public class SharingTests
{
    private const string ShoeViews = """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":600,"op":"gte","value":2}""";
    private const string ShoeViewsHour = """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":3600,"op":"gte","value":2}""";
    private const string Searches = """{"fact":"count","where":{"type":"search"},"withinSeconds":600,"op":"gte","value":1}""";
    private const string OnApp = """{"fact":"event.channel","op":"eq","value":"app"}""";

    private static TriggerDefinition Trigger(string id, params string[] conditions) =>
        TestTriggers.Parse(TestTriggers.Json($"[{string.Join(",", conditions)}]", id: id));

    private static CompiledCatalog Catalog(params TriggerDefinition[] triggers) =>
        CompiledCatalog.Compile(1, triggers.Select(t => (t, false)));

    private static FakeFacts ShopperWithShoeViews(int views)
    {
        var facts = new FakeFacts().Set(Fact.EventChannel, "web");
        for (var i = 0; i < views; i++)
        {
            facts.Clicks.Add(new(facts.Now.AddSeconds(-10 * (i + 1)), "product_view", $"p{i}", "shoes"));
        }

        return facts;
    }

    [Fact]
    public void Equal_count_questions_share_one_slot_and_filters_are_shared_across_windows()
    {
        var catalog = Catalog(Trigger("a", ShoeViews), Trigger("b", ShoeViews.Replace("\"value\":2", "\"value\":5")), Trigger("c", ShoeViewsHour), Trigger("d", Searches));

        Assert.Equal(3, catalog.ClickCounts.Count);
        Assert.Equal([0, 1, 2], catalog.ClickCounts.Select(c => c.Slot));
        Assert.Equal(2, catalog.ClickFilters.Count);
        var (tenMinutes, hour) = (catalog.ClickCounts[0], catalog.ClickCounts[1]);
        Assert.Same(tenMinutes.Filter, hour.Filter);
        Assert.Equal(tenMinutes.FilterIndex, hour.FilterIndex);
        Assert.Equal(TimeSpan.FromMinutes(10), tenMinutes.Window);
        Assert.Equal(TimeSpan.FromHours(1), hour.Window);
    }

    [Fact]
    public void Count_plan_lists_the_questions_of_the_woken_triggers_with_ascending_windows()
    {
        var idle = TestTriggers.Parse(TestTriggers.Json($"[{Searches}]", id: "idle", on: """{"idleSeconds":60}"""));
        var catalog = Catalog(Trigger("a", ShoeViewsHour), Trigger("b", ShoeViews), idle);

        var plan = catalog.CountsFor("add_to_cart");
        Assert.Equal([TimeSpan.FromMinutes(10), TimeSpan.FromHours(1)], plan.Windows.ToArray());
        Assert.Equal(2, plan.Counts.Length);
        for (var i = 0; i < plan.Counts.Length; i++)
        {
            Assert.Equal(plan.Counts[i].Window, plan.Windows[plan.Levels[i]]);
        }

        Assert.Equal(1UL << plan.Counts[0].FilterIndex, plan.FilterMask[0]);
        Assert.Equal("search", Assert.Single(catalog.CountsFor(null).Counts.ToArray()).Filter.Type);
        Assert.True(catalog.CountsFor("purchase").Counts.IsEmpty);
    }

    [Fact]
    public void Cheap_conditions_are_checked_before_counting_and_the_answer_is_the_same()
    {
        var countFirst = CompiledTrigger.Compile(Trigger("t", ShoeViews, OnApp));
        var facts = ShopperWithShoeViews(3);

        Assert.False(countFirst.Evaluate(facts));
        Assert.Equal(0, facts.CountQuestions); // the channel failed first

        facts.Set(Fact.EventChannel, "app");
        Assert.True(countFirst.Evaluate(facts));
        Assert.Equal(1, facts.CountQuestions);
    }

    [Fact]
    public void A_memo_answers_an_equal_condition_once_per_judgement_and_forgets_it_at_the_next()
    {
        var catalog = Catalog(Trigger("a", ShoeViews), Trigger("b", ShoeViews, OnApp), Trigger("c", ShoeViews));
        var facts = ShopperWithShoeViews(3).Set(Fact.EventChannel, "app");
        var memo = new ConditionMemo();

        memo.Begin(catalog);
        Assert.All(catalog.All, t => Assert.True(t.Evaluate(facts, memo)));
        Assert.Equal(1, facts.CountQuestions);

        // The next judgement sees a changed shopper: nothing memoised before may answer for it.
        facts.Clicks.Clear();
        memo.Begin(catalog);
        Assert.All(catalog.All, t => Assert.False(t.Evaluate(facts, memo)));
        Assert.Equal(2, facts.CountQuestions);
    }

    [Fact]
    public void A_memo_begun_for_another_catalog_is_not_used()
    {
        var first = Catalog(Trigger("a", ShoeViews));
        var second = Catalog(Trigger("b", Searches));
        var facts = ShopperWithShoeViews(3);
        var memo = new ConditionMemo();

        memo.Begin(first);
        Assert.True(first.All[0].Evaluate(facts, memo));
        // Slot 0 of the other catalog is a different question: it must be evaluated, not read from the memo.
        Assert.False(second.All[0].Evaluate(facts, memo));
        Assert.False(CompiledTrigger.Compile(Trigger("alone", Searches)).Evaluate(facts, memo));
        Assert.Equal(3, facts.CountQuestions);
    }

    [Fact]
    public void Memoised_evaluation_agrees_with_plain_evaluation_across_a_catalog()
    {
        string[] conditions =
        [
            ShoeViews, ShoeViewsHour, Searches, OnApp,
            """{"fact":"basket.total","op":"gte","value":10}""",
            """{"any":[{"fact":"shopper.referred","op":"eq","value":true},""" + ShoeViews + "]}",
            """{"fact":"basket.hasCategory","op":"eq","value":"shoes"}""",
        ];
        var triggers = Enumerable.Range(0, 40).Select(i =>
            Trigger($"t{i}", [.. conditions.Where((_, c) => (i >> (c % 5)) % 2 == 1 || c == i % conditions.Length)]));
        var catalog = Catalog([.. triggers]);
        var memo = new ConditionMemo();

        for (var views = 0; views < 4; views++)
        {
            var facts = ShopperWithShoeViews(views).Set(Fact.BasketTotal, 5.0 * views).Set(Fact.EventChannel, views % 2 == 0 ? "app" : "web");
            facts.BasketCategories.Add(views > 1 ? "shoes" : "hats");
            memo.Begin(catalog);
            foreach (var trigger in catalog.All)
            {
                Assert.Equal(trigger.Evaluate(facts), trigger.Evaluate(facts, memo));
            }
        }
    }
}
