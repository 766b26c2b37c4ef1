using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personalize.Grains;

namespace Personalize.Gateway.Apis;

/// <summary>Marketer routes of the referral programme (CONTRACT.md §4): its settings and its funnel.</summary>
public static class ReferralApi
{
    public static readonly string[] RewardKinds = ["percent", "amount", "freeShipping"];

    /// <summary>Every field is required on PUT: nullable here only so a missing one is named in <c>errors</c>.</summary>
    public sealed record ProgramRequest(
        bool? Enabled, string? ShareBaseUrl, Reward? FriendReward, Reward? ReferrerReward, decimal? MinOrderTotal,
        int? AttributionWindowDays, int? MaxRewardsPerReferrerPerMonth, int? ConfirmAfterDays);

    public static IEndpointRouteBuilder MapReferralApi(this IEndpointRouteBuilder app)
    {
        var program = app.MapGroup("/api/referral-program").RequireAuthorization(GatewayPolicies.Marketer);
        program.MapGet("/", GetProgramAsync);
        program.MapPut("/", PutProgramAsync);
        app.MapGet("/api/stats/referrals", GetStatsAsync).RequireAuthorization(GatewayPolicies.Marketer);
        return app;
    }

    private static async Task<IResult> GetProgramAsync(IGrainFactory grains) =>
        TypedResults.Ok((await grains.GetGrain<IReferralProgramGrain>(0).GetAsync()).Program);

    private static async Task<IResult> PutProgramAsync(HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json, IServiceProvider services)
    {
        var (body, error) = await JsonBody.ReadAsync(request);
        if (error is not null) return error;
        if (body.ValueKind != JsonValueKind.Object) return Problems.Validation("", "the body must be a JSON object");
        var (input, bindError) = JsonBody.Bind<ProgramRequest>(body, json.Value.SerializerOptions);
        if (bindError is not null) return bindError;
        var errors = Validate(input!);
        if (errors.Count > 0) return Problems.Validation(errors);

        var program = new ReferralProgram
        {
            Enabled = input!.Enabled!.Value,
            ShareBaseUrl = input.ShareBaseUrl!,
            FriendReward = input.FriendReward!,
            ReferrerReward = input.ReferrerReward! with { Currency = input.ReferrerReward!.Currency!.ToUpperInvariant() },
            MinOrderTotal = input.MinOrderTotal!.Value,
            AttributionWindowDays = input.AttributionWindowDays!.Value,
            MaxRewardsPerReferrerPerMonth = input.MaxRewardsPerReferrerPerMonth!.Value,
            ConfirmAfterDays = input.ConfirmAfterDays!.Value,
        };
        var snapshot = await grains.GetGrain<IReferralProgramGrain>(0).SetAsync(program);
        // Every silo polls within a second; a gateway hosting a silo takes the change at once.
        if (services.GetService<ReferralProgramCache>() is { } cache) await cache.RefreshAsync();
        return TypedResults.Ok(snapshot.Program);
    }

    public static List<KeyValuePair<string, string>> Validate(ProgramRequest p)
    {
        var errors = new List<KeyValuePair<string, string>>();
        void Add(string field, string message) => errors.Add(new(field, message));

        if (p.Enabled is null) Add("enabled", "is required (true or false)");
        if (p.ShareBaseUrl is not { Length: > 0 and <= 512 } url
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            Add("shareBaseUrl", "must be an absolute http(s) URL of at most 512 characters");
        ValidateReward(p.FriendReward, "friendReward", requireAmount: false);
        ValidateReward(p.ReferrerReward, "referrerReward", requireAmount: true);
        if (p.MinOrderTotal is not (>= 0 and <= ShopperEventValidator.MaxMoney))
            Add("minOrderTotal", $"is required, 0..{ShopperEventValidator.MaxMoney}");
        if (p.AttributionWindowDays is not (>= 1 and <= 365)) Add("attributionWindowDays", "is required, 1..365");
        // The ledger keeps at most ReferralLimits.Ledger entries: a higher monthly cap could not be counted.
        if (p.MaxRewardsPerReferrerPerMonth is not (>= 1 and <= ReferralLimits.Ledger))
            Add("maxRewardsPerReferrerPerMonth", $"is required, 1..{ReferralLimits.Ledger}");
        if (p.ConfirmAfterDays is not (>= 0 and <= 365)) Add("confirmAfterDays", "is required, 0..365 (0 confirms at once)");
        return errors;

        void ValidateReward(Reward? reward, string field, bool requireAmount)
        {
            if (reward is null)
            {
                Add(field, "is required: { kind, value }");
                return;
            }
            if (!RewardKinds.Contains(reward.Kind)) Add(field + ".kind", "must be one of: percent, amount, freeShipping");
            else if (requireAmount && reward.Kind != "amount") Add(field + ".kind", "must be amount: a referrer's reward is money in the ledger");
            if (reward.Kind == "percent" && reward.Value is not (> 0 and <= 100)) Add(field + ".value", "must be 0 < value ≤ 100 for percent");
            else if (reward.Kind == "amount" && reward.Value is not (> 0 and <= ShopperEventValidator.MaxMoney))
                Add(field + ".value", $"must be 0 < value ≤ {ShopperEventValidator.MaxMoney} for amount");
            else if (reward.Value < 0) Add(field + ".value", "must not be negative");
            if (requireAmount && reward.Currency is not { Length: 3 } currency) Add(field + ".currency", "is required: a three-letter currency code");
            else if (reward.Currency is { } c && (c.Length != 3 || !c.All(char.IsAsciiLetter))) Add(field + ".currency", "must be a three-letter currency code");
        }
    }

    private static async Task<IResult> GetStatsAsync(IGrainFactory grains, IServiceProvider services)
    {
        // A gateway hosting a silo sends its own pending counts first, so what a marketer just did shows.
        if (services.GetService<ReferralStatsCollector>() is { } collector) await collector.FlushAsync();
        var c = await grains.GetGrain<IReferralStatsGrain>(0).GetAsync();
        // K-factor = invites per referrer × conversion of an invite into a qualified new customer.
        var invitesPerReferrer = c.Referrers == 0 ? 0 : (double)c.Shares / c.Referrers;
        var conversion = c.Shares == 0 ? 0 : (double)c.Qualified / c.Shares;
        return TypedResults.Ok(new
        {
            prompts = c.Prompts,
            shares = c.Shares,
            landings = c.Landings,
            attributed = c.Attributed,
            qualified = c.Qualified,
            rewardsPending = c.RewardsPending,
            rewardsConfirmed = c.RewardsConfirmed,
            rewardsReversed = c.RewardsReversed,
            rejected = new { selfReferral = c.SelfReferral, invalidCode = c.InvalidCode, capped = c.Capped, rateLimited = c.RateLimited },
            referrers = c.Referrers,
            invitesPerReferrer = Math.Round(invitesPerReferrer, 3),
            conversion = Math.Round(conversion, 3),
            kFactor = Math.Round(invitesPerReferrer * conversion, 3),
        });
    }
}
