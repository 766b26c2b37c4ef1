using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>An anonymous shopper merged into a customer: what moves, what forwards, and that it is idempotent.</summary>
[Collection(ClusterCollection.Name)]
public sealed class IdentityTests(ClusterFixture fixture)
{
    private IShopperGrain Shopper(string id) => fixture.Grains.GetGrain<IShopperGrain>(id);

    [Fact]
    public async Task Merge_moves_basket_events_and_pending_pushes_and_later_events_land_on_the_customer()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        var (shoe, hat) = (NewId("p"), NewId("p"));
        var customer = Shopper(customerId);
        await customer.TrackAsync(Event(EventTypes.AddToCart, shoe, 50m, 1) with { At = ClusterFixture.Clock.GetUtcNow().AddMinutes(-3) });
        var anonymous = Shopper(anonymousId);
        await anonymous.TrackAsync(Event(EventTypes.ProductView, hat) with { At = ClusterFixture.Clock.GetUtcNow().AddMinutes(-5) });
        await anonymous.TrackAsync(Event(EventTypes.AddToCart, shoe, 50m, 2) with { At = ClusterFixture.Clock.GetUtcNow().AddMinutes(-2) });
        var seen = Event(EventTypes.AddToCart, hat, 20m, 1) with { At = ClusterFixture.Clock.GetUtcNow().AddMinutes(-1) };
        await anonymous.TrackAsync(seen);

        Assert.Equal(MergeOutcome.Merged, await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId));

        var view = await customer.GetStateAsync();
        Assert.Equal(4, view.Basket.Count);
        Assert.Equal(3, view.Basket.Lines.Single(l => l.ProductId == shoe).Quantity);
        Assert.Equal(170m, view.Basket.Total);
        // Newest first, both click streams interleaved by time.
        Assert.Equal([hat, shoe, shoe, hat], view.RecentEvents.Select(e => e.ProductId));
        Assert.Equal(customerId, await fixture.Grains.GetGrain<IShopperIdentityGrain>(anonymousId).ResolveAsync());

        // The anonymous id now acts as the customer: its events land there, a repeated event id is still a duplicate.
        Assert.True((await anonymous.TrackAsync(seen)).Duplicate);
        await anonymous.TrackAsync(Event(EventTypes.RemoveFromCart, hat, quantity: 1));
        Assert.Equal(3, (await customer.GetStateAsync()).Basket.Count);
        Assert.Equal(customerId, (await anonymous.GetStateAsync()).ShopperId);
    }

    [Fact]
    public async Task Merging_twice_is_harmless_and_merging_into_itself_is_refused()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        var sku = NewId("p");
        await Shopper(anonymousId).TrackAsync(Event(EventTypes.AddToCart, sku, 10m, 2));

        Assert.Equal(MergeOutcome.Merged, await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId));
        Assert.Equal(MergeOutcome.AlreadyMerged, await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId));
        Assert.Equal(2, (await Shopper(customerId).GetStateAsync()).Basket.Count);
        await Assert.ThrowsAsync<ArgumentException>(() => ShopperIdentity.MergeAsync(fixture.Grains, customerId, customerId));
        // Merged into one customer, an anonymous id cannot be claimed by another.
        Assert.Equal(MergeOutcome.Conflict, await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, NewId("cust")));
    }

    [Fact]
    public async Task A_merge_interrupted_after_the_hand_over_is_completed_by_a_retry()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        var sku = NewId("p");
        await Shopper(anonymousId).TrackAsync(Event(EventTypes.AddToCart, sku, 10m, 1));
        // A crash after step 1: the alias is stored, the customer has absorbed nothing yet.
        await fixture.Grains.GetGrain<IShopperIdentityGrain>(anonymousId).HandOverAsync(customerId);

        await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId);
        // And a crash after step 2 (absorbed, not released): absorbing again changes nothing.
        var handover = await fixture.Grains.GetGrain<IShopperIdentityGrain>(anonymousId).HandOverAsync(customerId);
        await fixture.Grains.GetGrain<IShopperIdentityGrain>(customerId).AbsorbAsync(anonymousId, handover);
        Assert.Equal(1, (await Shopper(customerId).GetStateAsync()).Basket.Count);
    }

    [Fact]
    public async Task Attribution_moves_only_when_the_customer_has_none_and_pending_pushes_move()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        var referrerCode = (await fixture.Grains.GetGrain<IShopperReferralGrain>(NewId("ref")).GetReferralLinkAsync()).Code;
        await Shopper(anonymousId).TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.ReferralLanding, ReferralCode = referrerCode });
        var friendOffer = Assert.Single((await Shopper(anonymousId).GetStateAsync()).PendingNudges);

        var observer = new RecordingObserver();
        await Shopper(customerId).SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));
        await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId);

        var view = await Shopper(customerId).GetStateAsync();
        Assert.True(view.ReferredBy);
        Assert.Equal(friendOffer.Id, Assert.Single(view.PendingNudges).Id);
        Assert.Equal(friendOffer.Id, Assert.Single(await observer.WaitForAsync(1)).Id);
    }

    [Fact]
    public async Task Erasing_a_customer_erases_its_merged_aliases()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        await Shopper(anonymousId).TrackAsync(Event(EventTypes.AddToCart, NewId("p"), 10m, 1));
        await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId);

        await ShopperIdentity.EraseAsync(fixture.Grains, customerId);

        Assert.False(await Shopper(customerId).ExistsAsync());
        Assert.False(await Shopper(anonymousId).ExistsAsync());
        Assert.Equal(anonymousId, await fixture.Grains.GetGrain<IShopperIdentityGrain>(anonymousId).ResolveAsync());
    }

    [Fact]
    public async Task An_offer_shown_to_the_anonymous_shopper_is_not_shown_again_to_the_customer_on_another_channel()
    {
        var (anonymousId, customerId) = (NewId("anon"), NewId("cust"));
        var sku = NewId("p");
        var triggerId = NewId("t");
        Assert.NotNull(await fixture.Grains.GetGrain<ITriggerCatalogGrain>(0).CreateAsync(triggerId, OfferTrigger(triggerId, "add_to_cart",
            $$"""{ "fact": "event.productId", "op": "eq", "value": "{{sku}}" }""", limits: """{ "maxPerShopper": 1 }""")));
        await fixture.RefreshCatalogAsync();
        await Shopper(anonymousId).TrackAsync(Event(EventTypes.AddToCart, sku, 10m, 1) with { Channel = "web" });
        Assert.Single((await Shopper(anonymousId).GetStateAsync()).PendingNudges);

        await ShopperIdentity.MergeAsync(fixture.Grains, anonymousId, customerId);
        var observer = new RecordingObserver();
        await Shopper(customerId).SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));
        await Shopper(customerId).TrackAsync(Event(EventTypes.AddToCart, sku, 10m, 1) with { Channel = "app" });

        Assert.Empty(await observer.WaitForAsync(1, TimeSpan.FromMilliseconds(300)));
        Assert.Single((await Shopper(customerId).GetStateAsync()).PendingNudges);
    }
}
