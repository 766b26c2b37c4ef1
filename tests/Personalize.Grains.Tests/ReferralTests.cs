using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>The referral loop on the test cluster: codes, attribution, rewards, the cap, refunds, and a failed hand-off.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ReferralTests(ClusterFixture fixture)
{
    private IShopperGrain Shopper(string id) => fixture.Grains.GetGrain<IShopperGrain>(id);
    private IShopperReferralGrain Referral(string id) => fixture.Grains.GetGrain<IShopperReferralGrain>(id);
    private T SiloService<T>() where T : notnull =>
        fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First().SiloHost.Services.GetRequiredService<T>();

    private async Task SetProgramAsync(int confirmAfterDays = 14, int cap = 10, int windowDays = 30, decimal minOrderTotal = 30)
    {
        await fixture.Grains.GetGrain<IReferralProgramGrain>(0).SetAsync(new ReferralProgram
        {
            ShareBaseUrl = "https://shop.test/r/",
            MinOrderTotal = minOrderTotal,
            AttributionWindowDays = windowDays,
            MaxRewardsPerReferrerPerMonth = cap,
            ConfirmAfterDays = confirmAfterDays,
        });
        foreach (var silo in fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
            await silo.SiloHost.Services.GetRequiredService<ReferralProgramCache>().RefreshAsync();
    }

    private async Task<ReferralCounts> StatsAsync()
    {
        await SiloService<ReferralStatsCollector>().FlushAsync();
        return await fixture.Grains.GetGrain<IReferralStatsGrain>(0).GetAsync();
    }

    private static ShopperEvent Landing(string code) => new() { Id = NewId("e"), Type = EventTypes.ReferralLanding, ReferralCode = code };
    private static ShopperEvent Purchase(string orderId, decimal total) => new() { Id = NewId("e"), Type = EventTypes.Purchase, OrderId = orderId, OrderTotal = total };
    private static ShopperEvent Refund(string orderId) => new() { Id = NewId("e"), Type = EventTypes.Refund, OrderId = orderId };

    private async Task<(string Referrer, string Code, RecordingObserver Observer)> ReferrerAsync()
    {
        var referrer = NewId("ref");
        var observer = new RecordingObserver();
        await Shopper(referrer).SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(observer));
        var link = await Referral(referrer).GetReferralLinkAsync();
        return (referrer, link.Code, observer);
    }

    /// <summary>A fresh friend attributed to <paramref name="code"/>.</summary>
    private async Task<string> FriendAsync(string code)
    {
        var friend = NewId("fr");
        await Shopper(friend).TrackAsync(Landing(code));
        Assert.True((await Shopper(friend).GetStateAsync()).ReferredBy);
        return friend;
    }

    [Fact]
    public async Task Link_is_stable_unique_and_owned_by_its_code_grain()
    {
        await SetProgramAsync();
        var shopper = NewId("s");
        var first = await Referral(shopper).GetReferralLinkAsync();
        var again = await Referral(shopper).GetReferralLinkAsync();
        Assert.Equal(first, again);
        Assert.True(first.Code.Length >= 8);
        Assert.All(first.Code, c => Assert.Contains(c, Codes.Alphabet));
        Assert.Equal("https://shop.test/r/" + first.Code, first.ShareUrl);
        Assert.Equal(shopper, await fixture.Grains.GetGrain<IReferralCodeGrain>(first.Code).GetOwnerAsync());
        Assert.Equal(first.Code, (await Shopper(shopper).GetStateAsync()).ReferralCode);

        var others = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Referral(NewId("s")).GetReferralLinkAsync()));
        Assert.Equal(21, others.Select(l => l.Code).Append(first.Code).Distinct().Count());
    }

    [Fact]
    public async Task Code_grain_gives_a_code_to_one_shopper_only()
    {
        var code = Codes.New(10);
        var grain = fixture.Grains.GetGrain<IReferralCodeGrain>(code);
        var claims = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => grain.ClaimAsync("s" + i)));
        Assert.Equal(1, claims.Count(c => c));
    }

    [Fact]
    public async Task Friend_gets_the_offer_and_first_qualifying_purchase_earns_one_pending_reward_confirmed_later()
    {
        await SetProgramAsync(confirmAfterDays: 14, minOrderTotal: 30);
        var before = await StatsAsync();
        var (referrer, code, referrerPushes) = await ReferrerAsync();

        var friend = NewId("fr");
        var friendPushes = new RecordingObserver();
        await Shopper(friend).SubscribeAsync(fixture.Cluster.Client.CreateObjectReference<IShopperObserver>(friendPushes));
        await Shopper(friend).TrackAsync(Landing(code.ToLowerInvariant()));
        var offer = Assert.Single(await friendPushes.WaitForAsync(1));
        Assert.Equal(NudgeKinds.Offer, offer.Kind);
        Assert.Equal("referral", offer.TriggerId);
        Assert.Equal(15m, offer.Discount!.Value);

        await Shopper(friend).TrackAsync(Purchase(NewId("o"), 10m)); // below the minimum: earns nothing
        Assert.Empty((await Shopper(referrer).GetStateAsync()).Rewards);

        var order = NewId("o");
        await Shopper(friend).TrackAsync(Purchase(order, 45m));
        var reward = Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards);
        Assert.Equal("pending", reward.Status);
        Assert.Equal(10m, reward.Amount);
        Assert.Equal("EUR", reward.Currency);
        var push = Assert.Single(await referrerPushes.WaitForAsync(1));
        Assert.Equal(NudgeKinds.Reward, push.Kind);
        Assert.Equal("pending", push.Status);
        Assert.DoesNotContain(order, push.Id);
        Assert.True(await fixture.Grains.GetGrain<IReferralWakeUpGrain>(referrer).IsScheduledAsync());

        await Shopper(friend).TrackAsync(Purchase(order, 45m));          // same order again
        await Shopper(friend).TrackAsync(Purchase(NewId("o"), 90m));     // a later order
        Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(13));
        Assert.NotNull(await Referral(referrer).WakeUpAsync());
        Assert.Equal("pending", Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards).Status);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Null(await Referral(referrer).WakeUpAsync()); // what the reminder calls: nothing left after this
        Assert.Equal("confirmed", Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards).Status);
        Assert.Contains(await referrerPushes.WaitForAsync(2), p => p.Status == "confirmed");

        var after = await StatsAsync();
        Assert.Equal(1, after.Landings - before.Landings);
        Assert.Equal(1, after.Attributed - before.Attributed);
        Assert.Equal(1, after.Qualified - before.Qualified);
        Assert.Equal(0, after.RewardsPending - before.RewardsPending);
        Assert.Equal(1, after.RewardsConfirmed - before.RewardsConfirmed);
    }

    [Fact]
    public async Task Reward_is_confirmed_at_once_when_confirmAfterDays_is_zero()
    {
        await SetProgramAsync(confirmAfterDays: 0);
        var (referrer, code, _) = await ReferrerAsync();
        var friend = await FriendAsync(code);
        await Shopper(friend).TrackAsync(Purchase(NewId("o"), 50m));
        Assert.Equal("confirmed", Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards).Status);
    }

    [Fact]
    public async Task Purchase_after_the_attribution_window_earns_nothing()
    {
        await SetProgramAsync(windowDays: 30);
        var (referrer, code, _) = await ReferrerAsync();
        var friend = await FriendAsync(code);
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(30) + TimeSpan.FromMinutes(1));
        await Shopper(friend).TrackAsync(Purchase(NewId("o"), 100m));
        Assert.Empty((await Shopper(referrer).GetStateAsync()).Rewards);
    }

    [Fact]
    public async Task Self_referral_unknown_codes_and_existing_customers_attribute_nothing()
    {
        await SetProgramAsync();
        var before = await StatsAsync();
        var (referrer, code, _) = await ReferrerAsync();

        await Shopper(referrer).TrackAsync(Landing(code));
        await Shopper(referrer).TrackAsync(Landing("CCCCCCCCCC"));
        Assert.False((await Shopper(referrer).GetStateAsync()).ReferredBy);

        var customer = NewId("c");
        await Shopper(customer).TrackAsync(Purchase(NewId("o"), 50m));
        await Shopper(customer).TrackAsync(Landing(code));
        Assert.False((await Shopper(customer).GetStateAsync()).ReferredBy);

        var other = await ReferrerAsync();
        var friend = await FriendAsync(code);
        await Shopper(friend).TrackAsync(Landing(other.Code)); // first touch wins
        await Shopper(friend).TrackAsync(Purchase(NewId("o"), 50m));
        Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards);
        Assert.Empty((await Shopper(other.Referrer).GetStateAsync()).Rewards);

        var after = await StatsAsync();
        Assert.Equal(1, after.SelfReferral - before.SelfReferral);
        Assert.Equal(1, after.InvalidCode - before.InvalidCode);
        Assert.Equal(1, after.Attributed - before.Attributed);
    }

    [Fact]
    public async Task Rewards_past_the_monthly_cap_are_refused_and_counted_until_next_month()
    {
        await SetProgramAsync(cap: 2, confirmAfterDays: 0);
        var before = await StatsAsync();
        var (referrer, code, _) = await ReferrerAsync();
        foreach (var friend in new[] { await FriendAsync(code), await FriendAsync(code), await FriendAsync(code) })
            await Shopper(friend).TrackAsync(Purchase(NewId("o"), 50m));
        Assert.Equal(2, (await Shopper(referrer).GetStateAsync()).Rewards.Count);
        Assert.Equal(1, (await StatsAsync()).Capped - before.Capped);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(32));
        var nextMonth = await FriendAsync(code);
        await Shopper(nextMonth).TrackAsync(Purchase(NewId("o"), 50m));
        Assert.Equal(3, (await Shopper(referrer).GetStateAsync()).Rewards.Count);
    }

    [Fact]
    public async Task Refund_of_the_qualifying_order_reverses_the_reward_once()
    {
        await SetProgramAsync();
        var before = await StatsAsync();
        var (referrer, code, _) = await ReferrerAsync();
        var friend = await FriendAsync(code);
        var order = NewId("o");
        await Shopper(friend).TrackAsync(Purchase(order, 50m));
        await Shopper(friend).TrackAsync(Refund(NewId("other-order")));
        Assert.Equal("pending", Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards).Status);

        await Shopper(friend).TrackAsync(Refund(order));
        await Shopper(friend).TrackAsync(Refund(order));
        var view = await Shopper(referrer).GetStateAsync();
        Assert.Equal("reversed", Assert.Single(view.Rewards).Status);
        Assert.DoesNotContain(view.PendingNudges, n => n.Kind == NudgeKinds.Reward);

        var after = await StatsAsync();
        Assert.Equal(1, after.RewardsReversed - before.RewardsReversed);
        Assert.Equal(0, after.RewardsPending - before.RewardsPending);
    }

    [Theory]
    [InlineData(ReferralHandoffStage.BeforeReferrerApplies)]
    [InlineData(ReferralHandoffStage.AfterReferrerApplied)]
    public async Task Hand_off_failing_midway_neither_loses_nor_doubles_the_reward(ReferralHandoffStage stage)
    {
        await SetProgramAsync();
        var (referrer, code, _) = await ReferrerAsync();
        var friend = await FriendAsync(code);
        var order = NewId("o");

        SiloService<ReferralHandoffFaults>().FailOnce(stage);
        var result = await Shopper(friend).TrackAsync(Purchase(order, 50m));
        Assert.False(result.Duplicate); // the purchase itself is acknowledged: it and the hand-off are stored
        Assert.Equal(stage == ReferralHandoffStage.AfterReferrerApplied ? 1 : 0, (await Shopper(referrer).GetStateAsync()).Rewards.Count);
        // The un-acknowledged hand-off keeps the friend's reminder registered.
        Assert.True(await fixture.Grains.GetGrain<IReferralWakeUpGrain>(friend).IsScheduledAsync());

        // Crash-like recovery: every activation goes, the friend comes back from storage and resumes.
        await fixture.Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        await Shopper(friend).GetStateAsync();
        Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards);

        // Every later retry path (reminder, the same order again) is answered idempotently.
        await Referral(friend).WakeUpAsync();
        await Shopper(friend).TrackAsync(Purchase(order, 50m));
        var view = await Shopper(referrer).GetStateAsync();
        Assert.Single(view.Rewards);
        Assert.False(await fixture.Grains.GetGrain<IReferralWakeUpGrain>(friend).IsScheduledAsync());
    }

    [Fact]
    public async Task Reminder_tick_delivers_a_hand_off_left_behind()
    {
        await SetProgramAsync();
        var (referrer, code, _) = await ReferrerAsync();
        var friend = await FriendAsync(code);
        SiloService<ReferralHandoffFaults>().FailOnce(ReferralHandoffStage.BeforeReferrerApplies);
        await Shopper(friend).TrackAsync(Purchase(NewId("o"), 50m));
        Assert.Empty((await Shopper(referrer).GetStateAsync()).Rewards);

        Assert.Null(await Referral(friend).WakeUpAsync()); // what the friend's reminder calls
        Assert.Single((await Shopper(referrer).GetStateAsync()).Rewards);
    }

    [Fact]
    public async Task Share_events_are_counted_and_referrers_once()
    {
        var before = await StatsAsync();
        var shopper = NewId("s");
        await Shopper(shopper).TrackAsync(Event(EventTypes.Share));
        await Shopper(shopper).TrackAsync(Event(EventTypes.Share));
        var after = await StatsAsync();
        Assert.Equal(2, after.Shares - before.Shares);
        Assert.Equal(1, after.Referrers - before.Referrers);
    }
}
