using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>A gateway with small rate limits and spare storefront keys, so each test has a key of its own.</summary>
public sealed class TightLimitsFixture : IAsyncLifetime
{
    public const int CallsPerSecond = 5;
    public const int RequestBurst = 3;
    public static readonly string OtherKey = "sk-other-" + Guid.NewGuid().ToString("N");
    public static readonly string ShapeKey = "sk-shape-" + Guid.NewGuid().ToString("N");

    public GatewayProcess Gateway { get; } = new(settings: new Dictionary<string, string>
    {
        ["Personalize:Limits:EventsPerSecondPerConnection"] = CallsPerSecond.ToString(),
        ["Personalize:Limits:EventBurstPerConnection"] = CallsPerSecond.ToString(),
        ["Personalize:Limits:RequestsPerSecondPerKey"] = "2",
        ["Personalize:Limits:RequestBurstPerKey"] = RequestBurst.ToString(),
        ["Personalize:Auth:StorefrontApiKeys:1"] = OtherKey,
        ["Personalize:Auth:StorefrontApiKeys:2"] = ShapeKey,
    });

    public Storefront Storefront => new(Gateway);
    public Task InitializeAsync() => Gateway.StartAsync();
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>Rate, size and count limits: a clear refusal, nothing changed, the caller still served afterwards, others never affected.</summary>
public sealed class LimitsTests(TightLimitsFixture fixture) : IClassFixture<TightLimitsFixture>
{
    private GatewayProcess Gateway => fixture.Gateway;
    private Storefront Shop => fixture.Storefront;

    // Minted here rather than through the API, so the storefront key's own rate is left to its test.
    private Task<Connection> ConnectAsync(string shopperId) => Shop.ConnectWithTokenAsync(
        Jwt.Sign(new { sub = shopperId, exp = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds() }, Gateway.SigningKey));

    private static object PageView() => new { id = NewId("e"), type = "page_view" };

    [Fact]
    public async Task Hub_calls_over_the_connection_rate_fail_clearly_change_nothing_and_the_connection_recovers()
    {
        await using var flooder = await ConnectAsync(NewId("flood"));
        await using var neighbour = await ConnectAsync(NewId("calm"));

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4 * TightLimitsFixture.CallsPerSecond).Select(async _ =>
        {
            try
            {
                await flooder.TrackAsync(PageView());
                return null;
            }
            catch (HubException ex)
            {
                return ex.Message;
            }
        }));
        var refused = outcomes.Where(m => m is not null).ToList();
        Assert.NotEmpty(refused);
        Assert.All(refused, m => Assert.Contains("Too many calls on this connection", m));
        // The neighbour's bucket is its own.
        for (var i = 0; i < 3; i++) await neighbour.TrackAsync(PageView());

        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var state = await flooder.StateAsync();
        Assert.Equal(outcomes.Count(m => m is null), state.GetProperty("recentEvents").GetArrayLength());
        Assert.False((await flooder.TrackAsync(PageView())).GetProperty("duplicate").GetBoolean());
    }

    [Fact]
    public async Task Api_requests_over_a_keys_rate_get_429_with_retry_after_and_other_keys_are_served()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Shop.Backend().PostAsJsonAsync("/api/shopper-tokens", new { shopperId = NewId("s") })));
        var limited = responses.Where(r => r.StatusCode == HttpStatusCode.TooManyRequests).ToList();
        Assert.NotEmpty(limited);
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode || r.StatusCode == HttpStatusCode.TooManyRequests, r.StatusCode.ToString()));
        var first = limited[0];
        Assert.True(first.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }, "Retry-After in seconds");
        Assert.Equal("application/problem+json", first.Content.Headers.ContentType?.MediaType);
        Assert.Equal(429, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetInt32());

        var other = await Shop.Client(TightLimitsFixture.OtherKey).PostAsJsonAsync("/api/shopper-tokens", new { shopperId = NewId("s") });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task Guessing_keys_buys_no_fresh_buckets()
    {
        // Each guess is a different wrong key, yet all share this address's one anonymous bucket.
        var statuses = await Task.WhenAll(Enumerable.Range(0, 120).Select(async _ =>
            (await Shop.Client("guess-" + Guid.NewGuid().ToString("N")).GetAsync("/api/triggers")).StatusCode));
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.All(statuses, s => Assert.True(s is HttpStatusCode.Unauthorized or HttpStatusCode.TooManyRequests, s.ToString()));
    }

    [Fact]
    public async Task Batch_field_line_body_and_trigger_limits_are_refused_with_400()
    {
        var shape = Shop.Client(TightLimitsFixture.ShapeKey);
        var shopperId = NewId("s");
        var tooMany = Enumerable.Range(0, 501).Select(_ => PageView()).ToArray();
        await ExpectBadAsync(await shape.PostAsJsonAsync("/api/events", new { shopperId, events = tooMany }), "events");

        await Task.Delay(1000);
        var longFields = new object[]
        {
            new { id = new string('i', 65), type = "page_view" },
            new { id = NewId("e"), type = "product_view", productId = new string('p', 129) },
            new { id = NewId("e"), type = "search", query = new string('q', 257) },
            new { id = NewId("e"), type = "purchase", orderId = "o", orderTotal = 1, lines = Enumerable.Range(0, 101).Select(_ => new { productId = "p", quantity = 1, price = 1 }) },
            new { id = NewId("e"), type = "add_to_cart", productId = "p", price = 10_000_001, quantity = 10_001 },
        };
        var fields = await ExpectBadAsync(await shape.PostAsJsonAsync("/api/events", new { shopperId, events = longFields }));
        foreach (var field in new[] { "events[0].id", "events[1].productId", "events[2].query", "events[3].lines", "events[4].price", "events[4].quantity" })
            Assert.True(fields.TryGetProperty(field, out _), field + " in " + fields);

        await Task.Delay(1000);
        var huge = new StringContent("{\"shopperId\":\"" + new string('x', 1024 * 1024) + "\"}", Encoding.UTF8, "application/json");
        await ExpectBadAsync(await shape.PostAsync("/api/events", huge));
        // The same body without a declared length (chunked) meets the same cap while it is read.
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/events")
        {
            // Valid but for its size: without the cap it would be accepted and the shopper would exist.
            Content = new StringContent($$"""{ "shopperId": "{{shopperId}}", "events": [ { "id": "e1", "type": "page_view" } ], "padding": "{{new string('x', 2 * 1024 * 1024)}}" }""",
                Encoding.UTF8, "application/json"),
        };
        chunked.Headers.TransferEncodingChunked = true;
        await ExpectBadAsync(await shape.SendAsync(chunked));
        Assert.Equal(HttpStatusCode.NotFound, (await Shop.Marketer().GetAsync("/api/shoppers/" + shopperId)).StatusCode);

        var conditions = string.Join(",", Enumerable.Range(0, 33).Select(_ => """{ "fact": "basket.total", "op": "gte", "value": 1 }"""));
        var deep = """{ "any": [ { "any": [ { "any": [ { "any": [ { "any": [ { "fact": "basket.total", "op": "gte", "value": 1 } ] } ] } ] } ] } ]""" + " }";
        var bigSet = "[" + string.Join(",", Enumerable.Range(0, 1001)) + "]";
        foreach (var body in new[] { conditions, deep, $$"""{ "fact": "basket.count", "op": "in", "value": {{bigSet}} }""" })
        {
            var trigger = OfferTrigger(NewId("t"), "sku", 1).Replace("""{ "fact": "basket.total", "op": "gte", "value": 1 },""", body + ",");
            await ExpectBadAsync(await Shop.Marketer().PostAsync("/api/triggers", new StringContent(trigger, Encoding.UTF8, "application/json")));
            await Task.Delay(600);
        }
    }

    [Fact]
    public async Task A_hub_message_over_64_KB_closes_only_that_connection()
    {
        await using var neighbour = await ConnectAsync(NewId("calm"));
        await using var sender = await ConnectAsync(NewId("big"));
        var closed = new TaskCompletionSource();
        sender.Hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };

        await Assert.ThrowsAnyAsync<Exception>(() => sender.TrackAsync(new { id = NewId("e"), type = "search", query = new string('q', 70 * 1024) }));
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False((await neighbour.TrackAsync(PageView())).GetProperty("duplicate").GetBoolean());
        using var http = new HttpClient();
        Assert.True((await http.GetAsync(Gateway.BaseUrl + "/health/ready")).IsSuccessStatusCode);
    }

    private static async Task<JsonElement> ExpectBadAsync(HttpResponseMessage response, string? field = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        var errors = JsonDocument.Parse(body).RootElement.GetProperty("errors");
        if (field is not null) Assert.True(errors.TryGetProperty(field, out _), field + " in " + body);
        return errors.Clone();
    }
}
