using Personalize.Grains;

namespace Personalize.Gateway.Apis;

/// <summary><c>GET /api/stats/nps</c> (CONTRACT.md §4): all-time figures plus the last 7 and 30 UTC days.</summary>
public static class NpsApi
{
    public static IEndpointRouteBuilder MapNpsApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/stats/nps", GetNpsAsync).RequireAuthorization(GatewayPolicies.Marketer);
        return app;
    }

    private static async Task<IResult> GetNpsAsync(IGrainFactory grains, IServiceProvider services)
    {
        // A gateway hosting a silo sends its own pending answers first, so answers just given show.
        if (services.GetService<NpsStatsCollector>() is { } collector) await collector.FlushAsync();
        var nps = await grains.GetGrain<INpsStatsGrain>(0).GetAsync();
        var t = nps.Total;
        return TypedResults.Ok(new NpsReport(t.Responses, t.Promoters, t.Passives, t.Detractors, t.Score,
            Figures(nps.Last7Days), Figures(nps.Last30Days)));
    }

    /// <summary>score is null while nobody answered: 0 would claim a neutral score nobody gave.</summary>
    public sealed record NpsFigures(long Responses, long Promoters, long Passives, long Detractors, int? Score);

    public sealed record NpsReport(long Responses, long Promoters, long Passives, long Detractors, int? Score,
        NpsFigures Last7Days, NpsFigures Last30Days);

    private static NpsFigures Figures(NpsCounts c) => new(c.Responses, c.Promoters, c.Passives, c.Detractors, c.Score);
}
