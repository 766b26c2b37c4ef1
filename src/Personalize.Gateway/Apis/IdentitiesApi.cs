using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personalize.Grains;

namespace Personalize.Gateway.Apis;

/// <summary>
/// <c>POST /api/identities</c> (CONTRACT.md §3): the storefront backend says an anonymous shopper
/// logged in as a customer. Storefront key only: a browser holds a shopper token, never this key, so
/// no shopper can claim someone else's identity.
/// </summary>
public static class IdentitiesApi
{
    public sealed record MergeRequest(string? AnonymousId, string? CustomerId);

    public static IEndpointRouteBuilder MapIdentitiesApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/identities", MergeAsync).RequireAuthorization(GatewayPolicies.Storefront);
        return app;
    }

    private static async Task<IResult> MergeAsync(HttpRequest request, IGrainFactory grains, IOptions<JsonOptions> json)
    {
        var (body, error) = await JsonBody.ReadAsync(request);
        if (error is not null) return error;
        var (merge, bindError) = JsonBody.Bind<MergeRequest>(body, json.Value.SerializerOptions);
        if (bindError is not null) return bindError;

        var errors = new List<KeyValuePair<string, string>>();
        if (ShoppersApi.ShopperIdProblem(merge?.AnonymousId) is { } anonymousProblem) errors.Add(new("anonymousId", anonymousProblem));
        if (ShoppersApi.ShopperIdProblem(merge?.CustomerId) is { } customerProblem) errors.Add(new("customerId", customerProblem));
        if (errors.Count == 0 && merge!.AnonymousId == merge.CustomerId) errors.Add(new("customerId", "must differ from anonymousId"));
        if (errors.Count > 0) return Problems.Validation(errors);

        var outcome = await ShopperIdentity.MergeAsync(grains, merge!.AnonymousId!, merge.CustomerId!);
        if (outcome == MergeOutcome.Conflict)
            return TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict",
                detail: $"'{merge.AnonymousId}' is already merged into another customer");
        return TypedResults.Ok(new
        {
            anonymousId = merge.AnonymousId,
            customerId = await grains.GetGrain<IShopperIdentityGrain>(merge.CustomerId!).ResolveAsync(),
            merged = outcome == MergeOutcome.Merged,
        });
    }
}
