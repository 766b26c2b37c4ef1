using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.TestingHost;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>
/// The memory-saving shapes of shopper state (issue 6): the compact click ring, hashed event ids,
/// collections made on first use. Behaviour must be what it was with whole events and eager lists.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class CompactStateTests(ClusterFixture fixture)
{
    private IShopperGrain Shopper(string id) => fixture.Grains.GetGrain<IShopperGrain>(id);

    [Fact]
    public async Task Recent_events_show_what_was_sent_from_the_compact_ring()
    {
        var shopper = Shopper(NewId("s"));
        var at = ClusterFixture.Clock.GetUtcNow().AddMinutes(-1);
        ShopperEvent[] sent =
        [
            new() { Id = Guid.NewGuid().ToString("N"), Type = EventTypes.ProductView, At = at, Channel = "app", ProductId = "p-1", CategoryId = "shoes", Price = 19.99m },
            new() { Id = Guid.NewGuid().ToString("D"), Type = EventTypes.Search, At = at.AddSeconds(1), Query = "red shoes" },
            new() { Id = "client-42", Type = EventTypes.AddToCart, At = at.AddSeconds(2), ProductId = "p-1", CategoryId = "shoes", Price = 19.99m, Quantity = 2 },
            new() { Id = Guid.NewGuid().ToString("N").ToUpperInvariant(), Type = EventTypes.NpsResponse, At = at.AddSeconds(3), Score = 9 },
            new() { Id = NewId("e"), Type = EventTypes.Purchase, At = at.AddSeconds(4), OrderId = "o-1", OrderTotal = 39.98m,
                    Lines = [new OrderLine { ProductId = "p-1", Quantity = 2, Price = 19.99m }] },
        ];
        foreach (var e in sent) await shopper.TrackAsync(e);

        var recent = (await shopper.GetStateAsync()).RecentEvents;
        // Newest first; everything but the order lines (kept by orders and recommendations, not the ring).
        Assert.Equal(Enumerable.Reverse(sent).Select(e => e with { Lines = null }), recent);
    }

    [Fact]
    public async Task Count_conditions_match_type_category_and_channel_on_the_compact_ring()
    {
        var category = NewId("cat");
        var triggerId = NewId("t");
        var json = OfferTrigger(triggerId, "product_view",
            $$"""{ "fact": "count", "where": { "type": "product_view", "categoryId": "{{category}}", "channel": "app" }, "withinSeconds": 600, "op": "gte", "value": 3 }""");
        Assert.NotNull(await fixture.Grains.GetGrain<ITriggerCatalogGrain>(0).CreateAsync(triggerId, json));
        await fixture.RefreshCatalogAsync();
        var shopper = Shopper(NewId("s"));
        var observer = new RecordingObserver();
        await shopper.SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));

        for (var i = 0; i < 2; i++)
            await shopper.TrackAsync(Event(EventTypes.ProductView, $"p{i}", categoryId: category) with { Channel = "app" });
        await shopper.TrackAsync(Event(EventTypes.ProductView, "p-web", categoryId: category));
        Assert.Empty(await observer.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));

        await shopper.TrackAsync(Event(EventTypes.ProductView, "p2", categoryId: category) with { Channel = "app" });
        Assert.Equal(triggerId, Assert.Single(await observer.WaitForAsync(1)).TriggerId);
    }

    [Fact]
    public async Task Ring_and_seen_ids_survive_storage_and_reactivation()
    {
        var id = NewId("s");
        var repeated = Event(EventTypes.AddToCart, "p-1", 10m, 1);
        await Shopper(id).TrackAsync(Event(EventTypes.ProductView, "p-1", 10m, categoryId: "c"));
        await Shopper(id).TrackAsync(repeated);
        var before = await Shopper(id).GetStateAsync();

        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(new TrackResult(true, true), await Shopper(id).TrackAsync(repeated));
        var after = await Shopper(id).GetStateAsync();
        Assert.Equal(before.RecentEvents, after.RecentEvents);
        Assert.Equal(1, after.Basket.Count);
    }

    [Fact]
    public void Unused_collections_stay_unmade_through_serialization()
    {
        var serializer = Serializer();
        var state = new ShopperState { FirstSeen = ClusterFixture.Clock.GetUtcNow() };
        state.OrderIds.Add("o-1");

        var copy = serializer.Deserialize<ShopperState>(serializer.SerializeToArray(state))!;

        Assert.Equal(["o-1"], copy.OrderIds);
        Assert.Null(Field(copy, "_outbox"));
        Assert.Null(Field(copy, "_triggers"));
        Assert.Null(Field(copy, "_issuedCodes"));
        Assert.Empty(copy.PendingOutbox);
        Assert.Null(Field(copy, "_outbox"));
        Assert.Empty(copy.Outbox);
        Assert.NotNull(Field(copy, "_outbox"));
    }

    [Fact]
    public void Clicks_round_trip_through_serialization()
    {
        var serializer = Serializer();
        var state = new ShopperState();
        foreach (var id in new[] { Guid.NewGuid().ToString("N"), Guid.NewGuid().ToString("D"), "x-1" })
            state.Clicks.Add(Click.From(new ShopperEvent
            {
                Id = id, Type = EventTypes.Search, At = ClusterFixture.Clock.GetUtcNow(), Query = "q", Channel = "pos", Price = 1.5m,
            }));
        state.SeenEventIds.Add(EventIdHash.Of("x-1"));

        var copy = serializer.Deserialize<ShopperState>(serializer.SerializeToArray(state))!;

        Assert.Equal(state.Clicks.Select(c => c.ToEvent()), copy.Clicks.Select(c => c.ToEvent()));
        Assert.Equal(state.SeenEventIds, copy.SeenEventIds);
    }

    [Fact]
    public void The_packed_ring_gives_back_every_click_as_it_was_in_a_fraction_of_the_bytes()
    {
        var serializer = Serializer();
        var ring = ClickRingSamples.Ring();
        var state = new ShopperState { Clicks = ring };

        var bytes = serializer.SerializeToArray(state);
        var copy = serializer.Deserialize<ShopperState>(bytes)!;

        Assert.Equal(ring.Select(c => c.ToEvent()), copy.Clicks.Select(c => c.ToEvent()));
        Assert.Equal(ring.Count, copy.Clicks.Capacity);
        // Equal product ids come back as one string, as the ring kept them before it was stored.
        var first = copy.Clicks.First(c => c.ProductId == "sku-3");
        Assert.All(copy.Clicks.Where(c => c.ProductId == "sku-3"), c => Assert.Same(first.ProductId, c.ProductId));
        var asObjects = File.ReadAllBytes(LegacyFixture).Length;
        Assert.True(bytes.Length * 2 < asObjects, $"packed {bytes.Length} B against {asObjects} B as click objects");
    }

    [Fact]
    public void A_ring_stored_as_click_objects_by_an_earlier_build_is_read_whole_and_written_packed()
    {
        // Written by the build before the packed ring (ClickRingSamples.Ring(), 3 orders, one basket line).
        var serializer = Serializer();
        var legacy = serializer.Deserialize<ShopperState>(File.ReadAllBytes(LegacyFixture))!;

        Assert.Equal(ClickRingSamples.Ring().Select(c => c.ToEvent()), legacy.Clicks.Select(c => c.ToEvent()));
        Assert.Equal(3, legacy.Orders);
        Assert.Equal("sku-1", Assert.Single(legacy.Basket).ProductId);
        Assert.Null(legacy.ClicksAsObjects);
        Assert.NotNull(legacy.ClicksPacked);

        var again = serializer.Deserialize<ShopperState>(serializer.SerializeToArray(legacy))!;
        Assert.Equal(legacy.Clicks.Select(c => c.ToEvent()), again.Clicks.Select(c => c.ToEvent()));
    }

    [Fact]
    public void An_empty_ring_is_stored_as_nothing_and_read_as_an_empty_ring()
    {
        var serializer = Serializer();
        var state = new ShopperState();
        Assert.Null(state.ClicksPacked);

        var copy = serializer.Deserialize<ShopperState>(serializer.SerializeToArray(state))!;
        Assert.Empty(copy.Clicks);
        copy.Clicks.Add(ClickRingSamples.Ring(1)[0]);
    }

    [Fact]
    public void Damaged_ring_bytes_are_refused_rather_than_read_as_fewer_clicks()
    {
        var packed = Click.PackRing(ClickRingSamples.Ring(10));
        Assert.Equal(10, Click.UnpackRing(packed).Count);

        Assert.Throws<InvalidDataException>(() => Click.UnpackRing(packed.AsSpan(0, packed.Length - 1)));
        Assert.Throws<InvalidDataException>(() => Click.UnpackRing([.. packed, 0]));
        Assert.Throws<InvalidDataException>(() => Click.UnpackRing([2, .. packed.AsSpan(1)]));
        Assert.Throws<InvalidDataException>(() => Click.UnpackRing([]));
    }

    private static string LegacyFixture => Path.Combine(AppContext.BaseDirectory, "Fixtures", "shopper-state-ring-as-objects.bin");

    [Theory]
    [InlineData("0f8fad5bd9cb469fa16570867728950e")]
    [InlineData("0f8fad5b-d9cb-469f-a165-70867728950e")]
    [InlineData("0F8FAD5BD9CB469FA16570867728950E")]
    [InlineData("{0f8fad5b-d9cb-469f-a165-70867728950e}")]
    [InlineData("order-17")]
    [InlineData("")]
    public void Compact_ids_give_back_the_exact_id(string id) =>
        Assert.Equal(id, new Click { Id = id, Type = EventTypes.PageView, At = ClusterFixture.Clock.GetUtcNow() }.Id);

    [Fact]
    public void Every_event_type_and_channel_of_the_contract_has_a_number()
    {
        foreach (var name in EventTypes.Client.Concat(EventTypes.ServerOnly).Concat(Channels.All))
            Assert.Same(name, SharedNames.Name(SharedNames.Index(name)));
        Assert.Throws<ArgumentException>(() => SharedNames.Index("page-view"));
    }

    [Fact]
    public void Event_id_hash_is_stable_because_it_is_stored() =>
        // Pinned: a different function would make every stored shopper forget which ids it has seen.
        Assert.Equal(0xC82A3147B541E3EAUL, EventIdHash.Of("e-0f8fad5bd9cb"));

    [Fact]
    public void Event_type_and_channel_are_shared_and_equal_ids_are_kept_once()
    {
        var state = new ShopperState();
        var model = new ShopperModel("s", state, new NudgeOptions(), NoTriggerStats.Instance);
        var now = ClusterFixture.Clock.GetUtcNow();
        foreach (var type in new[] { EventTypes.ProductView, EventTypes.AddToCart })
        {
            // Fresh strings, as a JSON parser makes them.
            var e = model.Accept(new ShopperEvent
            {
                Id = NewId("e"), Type = new string(type), Channel = new string("app"), ProductId = new string("p-1"), CategoryId = new string("c-1"), Quantity = 1,
            }, now)!;
            model.Apply(e, now);
        }

        Assert.Same(EventTypes.ProductView, state.Clicks[0].Type);
        Assert.Same(EventTypes.AddToCart, state.Clicks[1].Type);
        Assert.Same(state.Clicks[0].Channel, state.Clicks[1].Channel);
        Assert.Same(state.Clicks[0].ProductId, state.Clicks[1].ProductId);
        Assert.Same(state.Clicks[0].ProductId, state.Basket[0].ProductId);
        Assert.Same(state.Clicks[0].CategoryId, state.Basket[0].CategoryId);
    }

    [Fact]
    public void An_accepted_event_is_copied_once_at_most_stamped_and_with_its_ids_shared()
    {
        var state = new ShopperState();
        var model = new ShopperModel("s", state, new NudgeOptions(), NoTriggerStats.Instance);
        var now = ClusterFixture.Clock.GetUtcNow();
        model.Apply(model.Accept(new ShopperEvent { Id = NewId("e"), Type = EventTypes.ProductView, ProductId = new string("p-1") }, now)!, now);

        var sent = new ShopperEvent { Id = NewId("e"), Type = EventTypes.AddToCart, ProductId = new string("p-1"), Quantity = 1 };
        var accepted = model.Accept(sent, now)!;

        // One copy carries both: the arrival time and the product id the ring already holds.
        Assert.NotSame(sent, accepted);
        Assert.Equal(now, accepted.At);
        Assert.Same(state.Clicks[0].ProductId, accepted.ProductId);
        // An event already stamped whose ids are the shared ones is not copied at all.
        var again = accepted with { Id = NewId("e") };
        Assert.Same(again, model.Accept(again, now));
    }

    [Fact]
    public void Equal_product_category_and_query_strings_of_different_shoppers_are_kept_once()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var (product, category, query) = (NewId("sku"), NewId("cat"), NewId("running shoes"));
        var states = new[] { new ShopperState(), new ShopperState() };
        foreach (var state in states)
        {
            var model = new ShopperModel(NewId("s"), state, new NudgeOptions(), NoTriggerStats.Instance);
            // Fresh strings for every shopper, as a JSON parser makes them.
            var view = model.Accept(new ShopperEvent
            {
                Id = NewId("e"), Type = EventTypes.ProductView, ProductId = new string(product), CategoryId = new string(category),
            }, now)!;
            model.Apply(view, now);
            model.Apply(model.Accept(new ShopperEvent { Id = NewId("e"), Type = EventTypes.Search, Query = new string(query) }, now)!, now);
        }

        Assert.Same(states[0].Clicks[0].ProductId, states[1].Clicks[0].ProductId);
        Assert.Same(states[0].Clicks[0].CategoryId, states[1].Clicks[0].CategoryId);
        Assert.Same(states[0].Clicks[1].Detail!.Query, states[1].Clicks[1].Detail!.Query);
        Assert.Equal(product, states[1].Clicks[0].ProductId);
        Assert.Equal(query, states[1].Clicks[1].Detail!.Query);
    }

    [Fact]
    public void Trimmed_lists_keep_no_slack_and_a_full_ring_stays_trimmed()
    {
        var now = ClusterFixture.Clock.GetUtcNow();
        var state = new ShopperState();
        var model = new ShopperModel(NewId("s"), state, new NudgeOptions(), NoTriggerStats.Instance);
        void View(int i) => model.Apply(model.Accept(Event(EventTypes.ProductView, $"p{i}"), now)!, now);

        for (var i = 0; i < 6; i++) View(i);
        model.Apply(model.Accept(Event(EventTypes.AddToCart, "p1", 5m, 1), now)!, now);
        model.TrimExcess();
        Assert.Equal((7, 7, 1), (state.Clicks.Capacity, state.SeenEventIds.Capacity, state.Basket.Capacity));

        for (var i = 0; i < ShopperLimits.ClickRing; i++) View(i);
        model.TrimExcess();
        View(-1);
        Assert.Equal(ShopperLimits.ClickRing, state.Clicks.Capacity);
        Assert.Equal("p-1", state.Clicks[^1].ProductId);
    }

    [Fact]
    public void Events_and_pushes_cross_a_grain_call_in_one_process_as_the_same_instance()
    {
        var copier = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<DeepCopier>();
        var purchase = Event(EventTypes.Purchase, "p-1") with { Lines = [new OrderLine { ProductId = "p-1", Price = 5m }] };
        var push = new Nudge { Id = "n-1", Kind = NudgeKinds.Offer, Discount = new Reward { Kind = "percent", Value = 10 }, ProductIds = ["p-1"] };

        // Orleans deep-copies the arguments of a call within a process unless their type is immutable.
        Assert.Same(purchase, copier.Copy(purchase));
        Assert.Same(push, copier.Copy(push));
    }

    private Serializer Serializer() =>
        fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<Serializer>();

    private static object? Field(ShopperState state, string name) =>
        typeof(ShopperState).GetField(name, BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(state);
}
