using System.Text.Json;
using System.Text.Json.Nodes;
using Personalize.Grains;
using Personalize.Triggers;

namespace Personalize.Gateway.Apis;

/// <summary>Marketer trigger CRUD (CONTRACT.md §4). Definitions are validated here and stored canonical.</summary>
public static class TriggersApi
{
    public static RouteGroupBuilder MapTriggersApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/triggers").RequireAuthorization(GatewayPolicies.Marketer);
        api.MapGet("/", ListAsync);
        api.MapPost("/", CreateAsync);
        api.MapGet("/{id}", GetAsync);
        api.MapPut("/{id}", ReplaceAsync);
        api.MapDelete("/{id}", DeleteAsync);
        api.MapPost("/{id}/pause", (string id, IGrainFactory grains) => SetPausedAsync(id, true, grains));
        api.MapPost("/{id}/resume", (string id, IGrainFactory grains) => SetPausedAsync(id, false, grains));
        api.AddEndpointFilter(RefreshLocalCatalogAsync);
        return api;
    }

    /// <summary>
    /// Every silo picks a change up within a second by polling; a gateway that hosts a silo also
    /// refreshes its own copy at once, so a marketer's next test event already sees the change.
    /// </summary>
    private static async ValueTask<object?> RefreshLocalCatalogAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (!HttpMethods.IsGet(context.HttpContext.Request.Method)
            && context.HttpContext.RequestServices.GetService<TriggerCatalogCache>() is { } cache)
            await cache.RefreshAsync();
        return result;
    }

    private static ITriggerCatalogGrain Catalog(IGrainFactory grains) => grains.GetGrain<ITriggerCatalogGrain>(0);

    private static async Task<IResult> ListAsync(IGrainFactory grains)
    {
        var snapshot = await Catalog(grains).GetSnapshotAsync();
        return TypedResults.Ok(new JsonArray([.. snapshot.Triggers.Select(ToJson)]));
    }

    private static async Task<IResult> GetAsync(string id, IGrainFactory grains) =>
        await Catalog(grains).GetAsync(id) is { } record ? TypedResults.Ok(ToJson(record)) : Problems.NotFound($"no trigger '{id}'");

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (trigger, error) = await ParseAsync(request, routeId: null);
        if (error is not null) return error;
        var record = await Catalog(grains).CreateAsync(trigger!.Id, trigger.ToJson());
        return record is null
            ? TypedResults.Problem(statusCode: StatusCodes.Status409Conflict, title: "Conflict", detail: $"a trigger '{trigger.Id}' exists")
            : TypedResults.Created($"/api/triggers/{Uri.EscapeDataString(record.Id)}", ToJson(record));
    }

    private static async Task<IResult> ReplaceAsync(string id, HttpRequest request, IGrainFactory grains)
    {
        var (trigger, error) = await ParseAsync(request, routeId: id);
        if (error is not null) return error;
        return await Catalog(grains).ReplaceAsync(id, trigger!.ToJson()) is { } record
            ? TypedResults.Ok(ToJson(record))
            : Problems.NotFound($"no trigger '{id}'");
    }

    private static async Task<IResult> DeleteAsync(string id, IGrainFactory grains) =>
        await Catalog(grains).DeleteAsync(id) ? TypedResults.NoContent() : Problems.NotFound($"no trigger '{id}'");

    private static async Task<IResult> SetPausedAsync(string id, bool paused, IGrainFactory grains) =>
        await Catalog(grains).SetPausedAsync(id, paused) is { } record
            ? TypedResults.Ok(ToJson(record))
            : Problems.NotFound($"no trigger '{id}'");

    private static async Task<(TriggerDefinition? Trigger, IResult? Error)> ParseAsync(HttpRequest request, string? routeId)
    {
        var (body, error) = await JsonBody.ReadAsync(request);
        if (error is not null) return (null, error);
        if (TriggerParser.TryParse(body, routeId, out var trigger, out var errors)) return (trigger, null);
        return (null, TypedResults.ValidationProblem(errors.ToDictionary(e => e.Key, e => e.Value)));
    }

    /// <summary>The stored definition plus the catalog's bookkeeping.</summary>
    public static JsonNode ToJson(TriggerRecord record)
    {
        var node = JsonNode.Parse(record.Json)!.AsObject();
        node["version"] = record.Version;
        node["paused"] = record.Paused;
        node["createdAt"] = record.CreatedAt;
        node["updatedAt"] = record.UpdatedAt;
        return node;
    }
}
