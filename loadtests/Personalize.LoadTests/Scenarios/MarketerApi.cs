using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Personalize.Client;
using Personalize.LoadTests.Targets;

namespace Personalize.LoadTests.Scenarios;

/// <summary>The marketer routes the scenarios need to set the gateway up (CONTRACT.md §4).</summary>
public static class MarketerApi
{
    public const string HotTriggerId = "lt-hot";
    public const string PushProductId = "lt-push";

    /// <summary>
    /// Fires on exactly the events the scenario marks (add_to_cart of <see cref="PushProductId"/>), with no
    /// limits and a high priority, so every marked event is one expected push.
    /// </summary>
    public static JsonObject HotTrigger() => new()
    {
        ["id"] = HotTriggerId,
        ["name"] = "load test",
        ["enabled"] = true,
        ["priority"] = 1000,
        ["on"] = new JsonObject { ["event"] = EventTypes.AddToCart },
        ["conditions"] = new JsonArray(new JsonObject { ["fact"] = "event.productId", ["op"] = "eq", ["value"] = PushProductId }),
        ["action"] = new JsonObject
        {
            ["type"] = "offer", ["title"] = "t", ["message"] = "m",
            ["discount"] = new JsonObject { ["kind"] = "percent", ["value"] = 10 },
            ["code"] = "LT10", ["ttlSeconds"] = 60,
        },
    };

    /// <summary>Creates the trigger, or replaces it when an earlier run against the same target left it.</summary>
    public static async Task UpsertTriggerAsync(HttpClient http, Target target, JsonObject trigger, CancellationToken cancellationToken)
    {
        var id = (string)trigger["id"]!;
        using var created = await SendAsync(http, target, HttpMethod.Post, "/api/triggers", trigger, cancellationToken);
        if (created.StatusCode == HttpStatusCode.Conflict)
        {
            using var replaced = await SendAsync(http, target, HttpMethod.Put, $"/api/triggers/{id}", trigger, cancellationToken);
            await EnsureAsync(replaced, cancellationToken);
            return;
        }
        await EnsureAsync(created, cancellationToken);
    }

    /// <summary>
    /// Turns the referral programme on with a reward for any order of 30 or more, confirmed at once, and a
    /// monthly cap that one friend per referrer never reaches.
    /// </summary>
    public static async Task EnableReferralProgramAsync(HttpClient http, Target target, CancellationToken cancellationToken)
    {
        var program = new JsonObject
        {
            ["enabled"] = true,
            ["shareBaseUrl"] = "https://shop.example/r/",
            ["friendReward"] = new JsonObject { ["kind"] = "percent", ["value"] = 15 },
            ["referrerReward"] = new JsonObject { ["kind"] = "amount", ["value"] = 10, ["currency"] = "EUR" },
            ["minOrderTotal"] = 30,
            ["attributionWindowDays"] = 30,
            ["maxRewardsPerReferrerPerMonth"] = 10,
            ["confirmAfterDays"] = 0,
        };
        using var response = await SendAsync(http, target, HttpMethod.Put, "/api/referral-program", program, cancellationToken);
        await EnsureAsync(response, cancellationToken);
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient http, Target target, HttpMethod method, string route, JsonNode body, CancellationToken cancellationToken)
    {
        var key = target.MarketerKey ?? throw new InvalidOperationException(
            "A marketer key is needed against a gateway: pass --marketer-key or use --self-host.");
        using var request = new HttpRequestMessage(method, new Uri(target.BaseUrl, route)) { Content = JsonContent.Create(body) };
        request.Headers.Add(StorefrontBackendClient.ApiKeyHeader, key);
        return await http.SendAsync(request, cancellationToken);
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {body}");
        }
    }
}
