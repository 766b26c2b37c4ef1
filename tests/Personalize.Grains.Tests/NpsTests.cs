using Microsoft.Extensions.DependencyInjection;
using Orleans.TestingHost;
using static Personalize.Grains.Tests.TestData;

namespace Personalize.Grains.Tests;

/// <summary>NPS answers counted per silo into daily buckets; the score arithmetic.</summary>
[Collection(ClusterCollection.Name)]
public sealed class NpsTests(ClusterFixture fixture)
{
    private async Task<NpsSummary> SummaryAsync()
    {
        foreach (var silo in fixture.Cluster.GetActiveSilos().OfType<InProcessSiloHandle>())
            await silo.SiloHost.Services.GetRequiredService<NpsStatsCollector>().FlushAsync();
        return await fixture.Grains.GetGrain<INpsStatsGrain>(0).GetAsync();
    }

    private static ShopperEvent Answer(int score) => new() { Id = NewId("e"), Type = EventTypes.NpsResponse, Score = score };

    private static NpsCounts Minus(NpsCounts after, NpsCounts before) => after.Plus(new NpsCounts
    {
        Responses = -before.Responses, Promoters = -before.Promoters, Passives = -before.Passives, Detractors = -before.Detractors,
    });

    [Theory]
    [InlineData(0, 0, 0, null)]
    [InlineData(3, 1, 1, 40)]      // 5 answers: (3 − 1)/5 = 40
    [InlineData(1, 1, 1, 0)]
    [InlineData(1, 0, 2, -33)]     // −33.3…
    [InlineData(2, 1, 0, 67)]      // 66.6… rounds up
    public void Score_is_rounded_percentage_of_promoters_minus_detractors(int promoters, int passives, int detractors, int? score)
    {
        var counts = new NpsCounts { Responses = promoters + passives + detractors, Promoters = promoters, Passives = passives, Detractors = detractors };
        Assert.Equal(score, counts.Score);
    }

    [Fact]
    public async Task Answers_are_classified_and_a_same_day_re_answer_replaces_the_first()
    {
        var before = await SummaryAsync();
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Answer(10));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Answer(9));
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Answer(7));
        var changesMind = fixture.Grains.GetGrain<IShopperGrain>(NewId("s"));
        await changesMind.TrackAsync(Answer(3));
        await changesMind.TrackAsync(Answer(8));

        var delta = Minus((await SummaryAsync()).Total, before.Total);
        Assert.Equal(new NpsCounts { Responses = 4, Promoters = 2, Passives = 2, Detractors = 0 }, delta);
        Assert.Equal(8, (await changesMind.GetStateAsync()).NpsScore);

        // A day later the same shopper answering again is a new response.
        ClusterFixture.Clock.Advance(TimeSpan.FromDays(1));
        await changesMind.TrackAsync(Answer(2));
        var after = await SummaryAsync();
        Assert.Equal(new NpsCounts { Responses = 5, Promoters = 2, Passives = 2, Detractors = 1 }, Minus(after.Total, before.Total));
        Assert.True(after.Last7Days.Responses >= 5);
    }

    [Fact]
    public async Task Daily_buckets_leave_the_7_day_window_after_a_week()
    {
        var before = await SummaryAsync();
        await fixture.Grains.GetGrain<IShopperGrain>(NewId("s")).TrackAsync(Answer(10));
        var fresh = await SummaryAsync();
        Assert.Equal(1, fresh.Last7Days.Responses - before.Last7Days.Responses);

        ClusterFixture.Clock.Advance(TimeSpan.FromDays(8));
        var week = await SummaryAsync();
        var lastMonth = Minus(week.Last30Days, week.Last7Days);
        Assert.True(lastMonth.Promoters >= 1);
        Assert.Equal(fresh.Total, week.Total);
    }
}
