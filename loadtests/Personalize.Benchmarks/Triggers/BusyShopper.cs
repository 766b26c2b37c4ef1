using Personalize.Grains;
using Personalize.Triggers;

namespace Personalize.Benchmarks.Triggers;

/// <summary>
/// A busy shopper and a catalog of 100 <c>add_to_cart</c> triggers, built through the same paths the
/// grain uses (<see cref="TriggerParser"/>, <see cref="CompiledCatalog.Compile"/>, <see cref="ShopperModel.Accept"/>
/// and <see cref="ShopperModel.Apply"/>), so the benchmark judges what a silo judges.
/// </summary>
/// <remarks>
/// The shopper: a full click ring (100 events over the last hour, mostly product views), a few basket
/// lines, two orders, a passive NPS score, memory of earlier pushes, one push this hour. The catalog:
/// ten templates × ten variants mixing event fields, basket facts, shopper facts, any groups and counts
/// over 10 minutes to 30 days, filtered by type, category, product and channel; about half carry
/// limits. None of them matches, and most fail only at their last condition, so all 100 are judged.
/// </remarks>
internal static class BusyShopper
{
    public const string ShopperId = "shopper-busy";
    public const string MatchingTriggerId = "t-99-match";

    public static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Categories = ["shoes", "bags", "hats", "shirts", "jeans", "watches", "socks", "jackets", "dresses", "belts"];

    /// <summary>The event being judged: shoes into the basket, on the web.</summary>
    public static ShopperEvent Event { get; } = new()
    {
        Id = "e-judged", Type = Received(EventTypes.AddToCart), ProductId = "p-7", CategoryId = Received("shoes"), Price = 79.90m, Quantity = 1, At = Now,
    };

    public static ShopperModel Model(out ShopperEvent judged)
    {
        var model = new ShopperModel(ShopperId, new ShopperState(), new NudgeOptions(), NoTriggerStats.Instance);
        for (var i = 0; i < 100; i++)
        {
            Feed(model, History(i), Now.AddSeconds(-36 * (100 - i)));
        }

        judged = Feed(model, Event, Now);
        var state = model.State;
        state.FirstSeen = Now.AddDays(-45);
        state.Orders = 2;
        state.LifetimeValue = 340m;
        state.NpsScore = 8;
        state.Identified = true;
        state.Referrals = 1;
        state.RecentPushes.Add(Now.AddMinutes(-30));
        for (var t = 0; t < 100; t += 5)
        {
            state.Triggers[TriggerId(t)] = new TriggerMemory { Fired = 1, LastFiredAt = Now.AddDays(-2) };
        }

        return model;
    }

    /// <summary>100 triggers on add_to_cart; with <paramref name="lastMatches"/> the lowest-priority one is replaced by one that matches.</summary>
    public static CompiledCatalog Catalog(bool lastMatches)
    {
        var triggers = new List<(TriggerDefinition, bool)>();
        for (var t = 0; t < 100; t++)
        {
            var json = lastMatches && t == 99 ? Matching() : Template(t);
            if (!TriggerParser.TryParse(json, null, out var definition, out var errors))
            {
                throw new InvalidOperationException($"{json}: {string.Join("; ", errors.Select(e => $"{e.Key} {string.Join(",", e.Value)}"))}");
            }

            triggers.Add((definition!, false));
        }

        return CompiledCatalog.Compile(1, triggers);
    }

    private static ShopperEvent Feed(ShopperModel model, ShopperEvent e, DateTimeOffset at)
    {
        var accepted = model.Accept(e with { At = at }, at) ?? throw new InvalidOperationException($"duplicate {e.Id}");
        model.Apply(accepted, at);
        return accepted;
    }

    /// <summary>Mostly product views, with page views, searches, five adds to the basket and two removals (three lines stay).</summary>
    private static ShopperEvent History(int i)
    {
        var type = (i % 10) switch
        {
            < 6 => EventTypes.ProductView,
            6 => EventTypes.PageView,
            7 => EventTypes.Search,
            8 => i % 20 == 8 ? EventTypes.AddToCart : EventTypes.ProductView,
            _ => i is 9 or 49 ? EventTypes.RemoveFromCart : EventTypes.PageView,
        };
        var product = type switch
        {
            EventTypes.AddToCart => $"p-{i}",
            EventTypes.RemoveFromCart => $"p-{i - 1}",
            _ => $"p-{i % 40}",
        };
        return new ShopperEvent
        {
            Id = $"e-{i}",
            Type = Received(type),
            ProductId = product,
            CategoryId = Received(Categories[i % 7]),
            Channel = i % 3 == 0 ? Received("app") : null,
            Price = 20 + i % 60,
            Quantity = 1,
        };
    }

    /// <summary>A copy, as deserialising makes one: the literal would be the very instance the code compares with, which is cheaper.</summary>
    private static string Received(string text) => new(text.AsSpan());

    private static string TriggerId(int t) => $"t-{t:00}";

    private static string Template(int t)
    {
        var v = t / 10;
        var category = Categories[v];
        var product = $"p-{v * 4 + 1}";
        var conditions = (t % 10) switch
        {
            0 => $$"""[{"fact":"event.categoryId","op":"eq","value":"{{category}}"},{"fact":"count","where":{"type":"product_view","categoryId":"{{category}}"},"withinSeconds":1800,"op":"gte","value":{{8 + v}}},{"fact":"basket.total","op":"gte","value":{{50 + 25 * v}}}]""",
            1 => $$"""[{"fact":"shopper.identified","op":"eq","value":true},{"fact":"basket.count","op":"gte","value":3},{"fact":"basket.total","op":"gte","value":{{400 + 50 * v}}}]""",
            2 => $$"""[{"fact":"count","where":{"type":"remove_from_cart"},"withinSeconds":3600,"op":"gte","value":{{3 + v}}},{"fact":"basket.hasCategory","op":"eq","value":"{{category}}"}]""",
            3 => $$"""[{"fact":"shopper.referrals","op":"lt","value":3},{"fact":"count","where":{"type":"share"},"withinSeconds":86400,"op":"eq","value":0},{"fact":"shopper.npsClass","op":"eq","value":"promoter"}]""",
            4 => $$"""[{"fact":"shopper.lifetimeValue","op":"gte","value":300},{"fact":"shopper.daysSinceFirstSeen","op":"gte","value":30},{"any":[{"fact":"count","where":{"type":"purchase"},"withinSeconds":2592000,"op":"gte","value":1},{"fact":"basket.total","op":"gte","value":1000}]},{"fact":"shopper.orders","op":"gte","value":{{5 + v}}}]""",
            5 => $$"""[{"fact":"count","where":{"type":"search"},"withinSeconds":600,"op":"gte","value":{{4 + v}}},{"fact":"count","where":{"type":"product_view","categoryId":"{{category}}"},"withinSeconds":600,"op":"gte","value":2},{"fact":"event.channel","op":"in","value":["web","app"]}]""",
            6 => $$"""[{"any":[{"fact":"basket.hasProduct","op":"in","value":["p-90","p-91","{{product}}"]},{"fact":"basket.hasCategory","op":"eq","value":"{{category}}"}]},{"fact":"event.productId","op":"notIn","value":["p-0","p-1","p-2"]},{"fact":"count","where":{"type":"add_to_cart","channel":"app"},"withinSeconds":3600,"op":"gte","value":{{2 + v}}}]""",
            7 => $$"""[{"fact":"event.price","op":"gte","value":50},{"fact":"count","where":{"type":"product_view","productId":"{{product}}"},"withinSeconds":3600,"op":"gte","value":{{5 + v}}},{"fact":"shopper.referred","op":"eq","value":false}]""",
            8 => $$"""[{"fact":"count","where":{"type":"add_to_cart"},"withinSeconds":3600,"op":"lte","value":{{10 + v}}},{"fact":"count","where":{"type":"product_view"},"withinSeconds":3600,"op":"gte","value":{{80 + v}}}]""",
            _ => $$"""[{"fact":"shopper.identified","op":"eq","value":true},{"any":[{"fact":"event.channel","op":"eq","value":"app"},{"fact":"count","where":{"type":"page_view","channel":"app"},"withinSeconds":1800,"op":"gte","value":{{5 + v}}}]}]""",
        };
        var limits = t % 2 == 0 ? ""","limits":{"cooldownSeconds":86400,"maxPerShopper":3}""" : "";
        return Document(TriggerId(t), 1000 - t, conditions, limits);
    }

    /// <summary>Shoes in the basket after several shoe views this hour: an offer, through the daily budget.</summary>
    private static string Matching() => Document(
        MatchingTriggerId,
        1000 - 99,
        """[{"fact":"event.categoryId","op":"eq","value":"shoes"},{"fact":"basket.count","op":"gte","value":1},{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":3600,"op":"gte","value":3}]""",
        ""","limits":{"maxPerDay":1000000}""",
        """{"type":"offer","title":"10% off shoes","message":"Today only","discount":{"kind":"percent","value":10},"code":"SHOES10"}""");

    private static string Document(string id, int priority, string conditions, string extra, string? action = null) =>
        $$"""{"id":"{{id}}","name":"Benchmark {{id}}","priority":{{priority}},"on":{"event":"add_to_cart"},"conditions":{{conditions}},"action":{{action ?? """{"type":"referralPrompt","title":"Invite a friend","message":"Share your link"}"""}}{{extra}}}""";
}
