using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personalize.Gateway.Auth;
using Personalize.Grains;
using Personalize.Hosting;

namespace Personalize.Gateway.Apis;

/// <summary>Storefront-backend routes (tokens, server-side events) and the marketer's view of a shopper.</summary>
public static class ShoppersApi
{
    public const int MaxEventsPerRequest = 500;
    public const int MaxShopperIdLength = 128;
    public const int DefaultTokenTtlSeconds = 3600;
    public const int MaxTokenTtlSeconds = 86_400;

    public sealed record TokenRequest(string? ShopperId, int? TtlSeconds);
    public sealed record EventsRequest(string? ShopperId, List<ShopperEvent>? Events);

    public static IEndpointRouteBuilder MapShoppersApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/shopper-tokens", MintTokenAsync).RequireAuthorization(GatewayPolicies.Storefront);
        app.MapPost("/api/events", TrackEventsAsync).RequireAuthorization(GatewayPolicies.Storefront);
        var shoppers = app.MapGroup("/api/shoppers").RequireAuthorization(GatewayPolicies.Marketer);
        shoppers.MapGet("/{id}", GetShopperAsync);
        shoppers.MapDelete("/{id}", EraseShopperAsync);
        return app;
    }

    public static string? ShopperIdProblem(string? shopperId) =>
        string.IsNullOrEmpty(shopperId) || shopperId.Length > MaxShopperIdLength
            ? $"must be 1..{MaxShopperIdLength} characters"
            : shopperId.Any(char.IsControl) ? "must not contain control characters" : null;

    private static async Task<IResult> MintTokenAsync(HttpRequest request, ShopperTokens tokens, IOptions<JsonOptions> json)
    {
        var (body, error) = await JsonBody.ReadAsync(request);
        if (error is not null) return error;
        var (token, bindError) = JsonBody.Bind<TokenRequest>(body, json.Value.SerializerOptions);
        if (bindError is not null) return bindError;
        var errors = new List<KeyValuePair<string, string>>();
        if (ShopperIdProblem(token?.ShopperId) is { } idProblem) errors.Add(new("shopperId", idProblem));
        if (token?.TtlSeconds is < 60 or > MaxTokenTtlSeconds) errors.Add(new("ttlSeconds", $"must be 60..{MaxTokenTtlSeconds}"));
        if (errors.Count > 0) return Problems.Validation(errors);

        var (jwt, expiresAt) = tokens.Mint(token!.ShopperId!, token.TtlSeconds ?? DefaultTokenTtlSeconds);
        return TypedResults.Ok(new { token = jwt, expiresAt });
    }

    private static async Task<IResult> TrackEventsAsync(HttpRequest request, IGrainFactory grains, PersonalizeMetrics metrics, IOptions<JsonOptions> json)
    {
        var (body, error) = await JsonBody.ReadAsync(request);
        if (error is not null) return error;
        var (batch, bindError) = JsonBody.Bind<EventsRequest>(body, json.Value.SerializerOptions);
        if (bindError is not null) return bindError;

        var errors = new List<KeyValuePair<string, string>>();
        if (ShopperIdProblem(batch?.ShopperId) is { } idProblem) errors.Add(new("shopperId", idProblem));
        if (batch?.Events is not { Count: > 0 and <= MaxEventsPerRequest } events)
        {
            errors.Add(new("events", $"must hold 1..{MaxEventsPerRequest} events"));
            return Problems.Validation(errors);
        }
        // Validate the whole batch first: a bad event anywhere changes nothing.
        for (var i = 0; i < events.Count; i++)
            errors.AddRange(ShopperEventValidator.Validate(events[i], fromServer: true, prefix: $"events[{i}]."));
        if (errors.Count > 0)
        {
            metrics.EventsRejected.Add(events.Count);
            return Problems.Validation(errors);
        }

        // An anonymous id merged into a customer is an alias: go straight to the customer (the alias would forward anyway).
        var shopperId = await grains.GetGrain<IShopperIdentityGrain>(batch.ShopperId!).ResolveAsync();
        var shopper = grains.GetGrain<IShopperGrain>(shopperId);
        int accepted = 0, duplicates = 0;
        foreach (var e in events)
        {
            var result = await shopper.TrackAsync(e);
            if (result.Duplicate) duplicates++;
            else accepted++;
        }
        metrics.EventsIngested.Add(accepted);
        return TypedResults.Accepted((string?)null, new { accepted, duplicates });
    }

    private static async Task<IResult> GetShopperAsync(string id, IGrainFactory grains)
    {
        var shopper = grains.GetGrain<IShopperGrain>(id);
        return await shopper.ExistsAsync() ? TypedResults.Ok(await shopper.GetStateAsync()) : Problems.NotFound($"no shopper '{id}'");
    }

    private static async Task<IResult> EraseShopperAsync(string id, IGrainFactory grains)
    {
        var shopper = grains.GetGrain<IShopperGrain>(id);
        if (!await shopper.ExistsAsync()) return Problems.NotFound($"no shopper '{id}'");
        // A customer's merged anonymous aliases go with it: nothing kept about them may outlive the erasure.
        await ShopperIdentity.EraseAsync(grains, id);
        return TypedResults.NoContent();
    }
}
