using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using Personalize.Grains;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>
/// Referral abuse on the test cluster with the default limits (<see cref="ReferralAbuseOptions"/>):
/// landing velocity per shopper and per code, code guessing, and the referrer's own device or network.
/// The monthly reward cap is shown in <see cref="ReferralTests"/>.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ReferralAbuseTests(ClusterFixture fixture)
{
    private static readonly ReferralAbuseOptions Limits = new();

    private IShopperGrain Shopper(string id) => fixture.Grains.GetGrain<IShopperGrain>(id);

    private async Task<ReferralCounts> StatsAsync()
    {
        var silo = fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>().First();
        await silo.SiloHost.Services.GetRequiredService<ReferralStatsCollector>().FlushAsync();
        return await fixture.Grains.GetGrain<IReferralStatsGrain>(0).GetAsync();
    }

    private async Task EnableProgramAsync()
    {
        await fixture.Grains.GetGrain<IReferralProgramGrain>(0).SetAsync(new ReferralProgram { ShareBaseUrl = "https://shop.test/r/" });
        foreach (var silo in fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
            await silo.SiloHost.Services.GetRequiredService<ReferralProgramCache>().RefreshAsync();
    }

    private async Task<(string Id, string Code)> ReferrerAsync()
    {
        var id = NewId("ref");
        return (id, (await fixture.Grains.GetGrain<IShopperReferralGrain>(id).GetReferralLinkAsync()).Code);
    }

    private static ShopperEvent Landing(string code, string? deviceId = null, string? network = null) =>
        new() { Id = NewId("e"), Type = EventTypes.ReferralLanding, ReferralCode = code, DeviceId = deviceId, Network = network };

    private async Task<bool> ReferredAsync(string shopper) => (await Shopper(shopper).GetStateAsync()).ReferredBy;

    [Fact]
    public async Task A_shopper_over_the_hourly_landing_limit_is_not_attributed_until_the_hour_has_passed()
    {
        await EnableProgramAsync();
        var (_, code) = await ReferrerAsync();
        var (shopper, ownCode) = await ReferrerAsync();
        var before = await StatsAsync();

        for (var i = 0; i < Limits.MaxLandingsPerShopperPerHour; i++) await Shopper(shopper).TrackAsync(Landing(ownCode));
        await Shopper(shopper).TrackAsync(Landing(code));
        Assert.False(await ReferredAsync(shopper));
        var after = await StatsAsync();
        Assert.Equal(Limits.MaxLandingsPerShopperPerHour, after.SelfReferral - before.SelfReferral);
        Assert.Equal(1, after.RateLimited - before.RateLimited);

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        await Shopper(shopper).TrackAsync(Landing(code));
        Assert.True(await ReferredAsync(shopper));
    }

    [Fact]
    public async Task After_a_few_unknown_codes_even_a_real_code_is_not_looked_up()
    {
        await EnableProgramAsync();
        var (_, code) = await ReferrerAsync();
        var guesser = NewId("guess");
        var before = await StatsAsync();

        for (var i = 0; i < Limits.MaxUnknownCodesPerShopperPerHour; i++)
            await Shopper(guesser).TrackAsync(Landing(Codes.New(ReferralLimits.CodeLength)));
        await Shopper(guesser).TrackAsync(Landing(code));

        Assert.False(await ReferredAsync(guesser));
        Assert.Empty((await Shopper(guesser).GetStateAsync()).PendingNudges);
        var after = await StatsAsync();
        Assert.Equal(Limits.MaxUnknownCodesPerShopperPerHour, after.InvalidCode - before.InvalidCode);
        Assert.Equal(1, after.RateLimited - before.RateLimited);
    }

    [Fact]
    public async Task A_code_attributes_at_most_its_hourly_limit_of_friends()
    {
        await EnableProgramAsync();
        var (_, code) = await ReferrerAsync();
        var before = await StatsAsync();

        var friends = Enumerable.Range(0, Limits.MaxLandingsPerCodePerHour + 1).Select(_ => NewId("fr")).ToList();
        foreach (var friend in friends) await Shopper(friend).TrackAsync(Landing(code));

        foreach (var friend in friends[..^1]) Assert.True(await ReferredAsync(friend));
        Assert.False(await ReferredAsync(friends[^1]));
        var after = await StatsAsync();
        Assert.Equal(Limits.MaxLandingsPerCodePerHour, after.Attributed - before.Attributed);
        Assert.Equal(1, after.RateLimited - before.RateLimited);

        ClusterFixture.Clock.Advance(TimeSpan.FromHours(1));
        var later = NewId("fr");
        await Shopper(later).TrackAsync(Landing(code));
        Assert.True(await ReferredAsync(later));
    }

    [Fact]
    public async Task A_landing_from_the_referrers_own_device_or_network_is_self_referral()
    {
        await EnableProgramAsync();
        var (referrer, code) = await ReferrerAsync();
        var device = NewId("dev");
        await Shopper(referrer).TrackAsync(new ShopperEvent { Id = NewId("e"), Type = EventTypes.PageView, DeviceId = device, Network = "198.51.100.0/24" });
        var before = await StatsAsync();

        var sameDevice = NewId("fr");
        await Shopper(sameDevice).TrackAsync(Landing(code, deviceId: device.ToUpperInvariant(), network: "203.0.113.0/24"));
        var sameNetwork = NewId("fr");
        await Shopper(sameNetwork).TrackAsync(Landing(code, deviceId: NewId("dev"), network: "198.51.100.0/24"));
        var elsewhere = NewId("fr");
        await Shopper(elsewhere).TrackAsync(Landing(code, deviceId: NewId("dev"), network: "203.0.113.0/24"));

        Assert.False(await ReferredAsync(sameDevice));
        Assert.False(await ReferredAsync(sameNetwork));
        Assert.True(await ReferredAsync(elsewhere));
        var after = await StatsAsync();
        Assert.Equal(2, after.SelfReferral - before.SelfReferral);
        Assert.Equal(1, after.Attributed - before.Attributed);
    }
}
