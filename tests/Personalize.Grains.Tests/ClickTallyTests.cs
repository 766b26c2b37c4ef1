using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Personalize.Triggers;

namespace Personalize.Grains.Tests;

/// <summary>
/// The tally answers every count question of a judgement from bit sets it keeps across events. Whatever
/// the ring went through (clicks added at its end, dropped from its start, replaced, times out of order),
/// each answer must be what a scan newest first, stopping at the first click older than the window, gives.
/// </summary>
public class ClickTallyTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    private static readonly string[] Questions =
    [
        """{"fact":"count","where":{"type":"product_view"},"withinSeconds":600,"op":"gte","value":1}""",
        """{"fact":"count","where":{"type":"product_view"},"withinSeconds":3600,"op":"gte","value":1}""",
        """{"fact":"count","where":{"type":"product_view","categoryId":"shoes"},"withinSeconds":1800,"op":"gte","value":1}""",
        """{"fact":"count","where":{"type":"add_to_cart","channel":"app"},"withinSeconds":86400,"op":"gte","value":1}""",
        """{"fact":"count","where":{"categoryId":"hats"},"withinSeconds":60,"op":"gte","value":1}""",
        """{"fact":"count","where":{},"withinSeconds":7200,"op":"gte","value":1}""",
    ];

    private static readonly CompiledCatalog Catalog = CompiledCatalog.Compile(1, Questions.Select((q, i) =>
    {
        var json = $$$"""{"id":"t{{{i}}}","name":"t","on":{"event":"add_to_cart"},"conditions":[{{{q}}}],"action":{"type":"referralPrompt","title":"a","message":"b"}}""";
        return (TriggerParser.TryParse(json, null, out var definition, out _) ? definition! : throw new InvalidOperationException(json), false);
    }));

    /// <summary>
    /// One change to the ring: 0 adds a click at its end, 1 drops the oldest, 2 replaces one, 3 moves the oldest
    /// click object to the end as a new click (<see cref="Click.Overwrite"/>, what a full ring does); the seconds
    /// ago of a new click; whether a judgement asks the tally after it (a shopper may send many events between
    /// judgements that count).
    /// </summary>
    public sealed record Change(int Kind, int SecondsAgo, int Type, int Category, bool App, int Index, bool Ask = true);

    private static Gen<Change> Changes =>
        from kind in Gen.Frequency((6, Gen.Constant(0)), (2, Gen.Constant(1)), (1, Gen.Constant(2)), (4, Gen.Constant(3)))
        from secondsAgo in Gen.Frequency((3, Gen.Choose(0, 4000)), (1, Gen.Choose(0, 100_000)))
        from type in Gen.Choose(0, 2)
        from category in Gen.Choose(0, 2)
        from app in Gen.Elements(true, false)
        from index in Gen.Choose(0, 200)
        from ask in Gen.Frequency((3, Gen.Constant(true)), (1, Gen.Constant(false)))
        select new Change(kind, secondsAgo, type, category, app, index, ask);

    private static ShopperEvent NewEvent(Change c) => new()
    {
        Id = Guid.NewGuid().ToString("N"),
        Type = new[] { "product_view", "add_to_cart", "search" }[c.Type],
        CategoryId = new[] { "shoes", "hats", null }[c.Category],
        Channel = c.App ? "app" : null,
        At = Now.AddSeconds(-c.SecondsAgo),
    };

    private static Click NewClick(Change c) => Click.From(NewEvent(c));

    private static void Reuse(List<Click> ring, Change c)
    {
        var oldest = ring[0];
        ring.RemoveAt(0);
        oldest.Overwrite(NewEvent(c));
        ring.Add(oldest);
    }

    /// <summary>The reference: newest first, stopping at the first click older than the window.</summary>
    private static int Scan(List<Click> ring, ClickCount count)
    {
        var total = 0;
        for (var i = ring.Count - 1; i >= 0; i--)
        {
            if (ring[i].At < Now - count.Window) break;
            if (count.Filter.Matches(ring[i].Type, ring[i].ProductId, ring[i].CategoryId, ring[i].Channel ?? Channels.Web)) total++;
        }

        return total;
    }

    [Property(MaxTest = 300)]
    public Property Every_answer_is_what_a_scan_of_the_ring_gives() =>
        Prop.ForAll(Arb.From(Gen.ListOf(Changes)), changes =>
        {
            var tally = new ClickTally();
            var ring = new List<Click>();
            var plan = Catalog.CountsFor("add_to_cart");
            var values = new int[Catalog.ClickCounts.Count];
            foreach (var change in changes)
            {
                switch (change.Kind)
                {
                    case 0:
                        ring.Add(NewClick(change));
                        if (ring.Count > ShopperLimits.ClickRing) ring.RemoveAt(0);
                        break;
                    case 1 when ring.Count > 0:
                        ring.RemoveAt(0);
                        break;
                    case 2 when ring.Count > 0:
                        ring[change.Index % ring.Count] = NewClick(change);
                        break;
                    case 3 when ring.Count > 0:
                        Reuse(ring, change);
                        break;
                }

                if (!change.Ask) continue;
                tally.Count(Catalog, plan, ring, Now, values);
                foreach (var count in plan.Counts)
                {
                    if (values[count.Slot] != Scan(ring, count)) return false.Label($"{count} after {ring.Count} clicks");
                }
            }

            return true.ToProperty();
        });

    /// <summary>
    /// A full ring turned over exactly once between two judgements: every click object is where it was, each
    /// now a different click. Knowing clicks by reference alone would answer from the old matches.
    /// </summary>
    [Fact]
    public void A_ring_whose_every_click_object_was_reused_is_matched_again()
    {
        var tally = new ClickTally();
        var plan = Catalog.CountsFor("add_to_cart");
        var values = new int[Catalog.ClickCounts.Count];
        var viewedShoes = new Change(0, 10, Type: 0, Category: 0, App: false, Index: 0);
        var searchedInApp = new Change(0, 10, Type: 2, Category: 2, App: true, Index: 0);
        var ring = Enumerable.Range(0, ShopperLimits.ClickRing).Select(_ => NewClick(viewedShoes)).ToList();
        tally.Count(Catalog, plan, ring, Now, values);
        var shoes = plan.Counts.ToArray().Single(c => c.Filter.Matches("product_view", null, "shoes", Channels.Web) && !c.Filter.Matches("product_view", null, "hats", Channels.Web));
        Assert.Equal(ShopperLimits.ClickRing, values[shoes.Slot]);

        var objects = ring.ToList();
        for (var i = 0; i < ShopperLimits.ClickRing; i++) Reuse(ring, searchedInApp);
        Assert.Equal(objects, ring); // the same objects in the same places
        tally.Count(Catalog, plan, ring, Now, values);

        Assert.Equal(0, values[shoes.Slot]);
        foreach (var count in plan.Counts) Assert.Equal(Scan(ring, count), values[count.Slot]);
    }
}
