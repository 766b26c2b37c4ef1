using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Personalize.Grains;
using Personalize.Triggers;

namespace Personalize.Gateway.Apis;

/// <summary>What a marketer asks before and after switching a trigger on: simulate it, read its stats.</summary>
public static class TriggerInsightsApi
{
    public const int MaxSimulatedEvents = 500;

    public static RouteGroupBuilder MapTriggerInsightsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/triggers").RequireAuthorization(GatewayPolicies.Marketer);
        api.MapPost("/simulate", SimulateAsync);
        api.MapGet("/{id}/stats", GetStatsAsync);
        return api;
    }

    private static async Task<IResult> GetStatsAsync(string id, IGrainFactory grains)
    {
        if (await grains.GetGrain<ITriggerCatalogGrain>(0).GetAsync(id) is null) return Problems.NotFound($"no trigger '{id}'");
        var stats = await grains.GetGrain<ITriggerStatsGrain>(id).GetAsync();
        return TypedResults.Ok(new
        {
            fired = stats.Fired,
            delivered = stats.Delivered,
            shown = stats.Shown,
            clicked = stats.Clicked,
            dismissed = stats.Dismissed,
            converted = stats.Converted,
            revenue = stats.Revenue,
            holdout = new { assigned = stats.HoldoutAssigned, converted = stats.HoldoutConverted, revenue = stats.HoldoutRevenue },
            uplift = Uplift(stats),
        });
    }

    /// <summary>
    /// Conversions per touch, pushed versus held out. A rate with no sample is null (and so is the
    /// difference): a reader must not mistake "no data" for "no effect". Sizes let them judge the noise.
    /// </summary>
    private static object Uplift(TriggerStats stats)
    {
        double? treated = stats.Fired > 0 ? (double)stats.Converted / stats.Fired : null;
        double? holdout = stats.HoldoutAssigned > 0 ? (double)stats.HoldoutConverted / stats.HoldoutAssigned : null;
        return new
        {
            treatedRate = treated,
            holdoutRate = holdout,
            difference = treated - holdout,
            treatedSize = stats.Fired,
            holdoutSize = stats.HoldoutAssigned,
        };
    }

    private static async Task<IResult> SimulateAsync(HttpRequest request, IConfiguration configuration, TimeProvider time, IOptions<JsonOptions> json)
    {
        var (body, error) = await JsonBody.ReadAsync(request);
        if (error is not null) return error;
        if (body.ValueKind != JsonValueKind.Object) return Problems.Validation("", "must be a JSON object");

        var errors = new List<KeyValuePair<string, string>>();
        TriggerDefinition? trigger = null;
        if (!body.TryGetProperty("trigger", out var triggerJson))
        {
            errors.Add(new("trigger", "is required"));
        }
        else
        {
            // A draft may leave its id out; it is then simulated as "draft".
            var routeId = triggerJson.ValueKind == JsonValueKind.Object && !triggerJson.TryGetProperty("id", out _) ? "draft" : null;
            if (!TriggerParser.TryParse(triggerJson, routeId, out trigger, out var triggerErrors))
                foreach (var (field, messages) in triggerErrors)
                    errors.AddRange(messages.Select(m => new KeyValuePair<string, string>(field.Length == 0 ? "trigger" : "trigger." + field, m)));
        }

        var events = ReadEvents(body, json.Value.SerializerOptions, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        var options = configuration.GetSection(NudgeOptions.Section).Get<NudgeOptions>() ?? new NudgeOptions();
        var shopperId = Codes.NewId("sim-");
        var pushes = await TriggerSimulator.RunAsync(trigger!, events!, shopperId, options, time.GetUtcNow());
        return TypedResults.Ok(new
        {
            shopperId,
            pushes = pushes.Select(p => new { eventIndex = p.EventIndex, at = p.At, heldOut = p.HeldOut, push = p.Nudge }),
        });
    }

    private static List<ShopperEvent>? ReadEvents(JsonElement body, JsonSerializerOptions options, List<KeyValuePair<string, string>> errors)
    {
        if (!body.TryGetProperty("events", out var eventsJson) || eventsJson.ValueKind != JsonValueKind.Array
            || eventsJson.GetArrayLength() is 0 or > MaxSimulatedEvents)
        {
            errors.Add(new("events", $"must hold 1..{MaxSimulatedEvents} events"));
            return null;
        }
        var events = new List<ShopperEvent>(eventsJson.GetArrayLength());
        var i = 0;
        foreach (var element in eventsJson.EnumerateArray())
        {
            var prefix = $"events[{i++}].";
            try
            {
                var e = element.Deserialize<ShopperEvent>(options);
                var problems = ShopperEventValidator.Validate(e, fromServer: true, prefix: prefix);
                if (problems.Count > 0) errors.AddRange(problems);
                else events.Add(e!);
            }
            catch (JsonException ex)
            {
                var field = ex.Path is { Length: > 2 } path ? path[2..] : "";
                errors.Add(new((prefix + field).TrimEnd('.'), "has the wrong type or shape"));
            }
        }
        return events;
    }
}
