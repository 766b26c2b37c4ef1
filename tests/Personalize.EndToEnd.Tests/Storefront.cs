using System.Net.Http.Json;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR.Client;

namespace Personalize.EndToEnd.Tests;

/// <summary>HTTP and SignalR access to a running gateway, as storefronts and marketers use it.</summary>
public sealed class Storefront(GatewayProcess gateway)
{
    public static readonly string[] PushKinds = ["offer", "referralPrompt", "recommendations", "survey", "reward"];

    public HttpClient Marketer() => Client(gateway.MarketerKey);
    public HttpClient Backend() => Client(gateway.StorefrontKey);

    public HttpClient Client(string? apiKey)
    {
        var http = new HttpClient { BaseAddress = new Uri(gateway.BaseUrl) };
        if (apiKey is not null) http.DefaultRequestHeaders.Add("X-Api-Key", apiKey);
        return http;
    }

    public async Task<string> TokenAsync(string shopperId, int? ttlSeconds = null)
    {
        var response = await Backend().PostAsJsonAsync("/api/shopper-tokens", new { shopperId, ttlSeconds });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }

    public async Task<Connection> ConnectAsync(string shopperId) => await ConnectWithTokenAsync(await TokenAsync(shopperId));

    public async Task<Connection> ConnectWithTokenAsync(string token)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(gateway.BaseUrl + "/hubs/shopper", o => o.AccessTokenProvider = () => Task.FromResult<string?>(token))
            .Build();
        var connection = new Connection(hub);
        foreach (var kind in PushKinds)
            hub.On<JsonElement>(kind, push => connection.Pushes.Writer.TryWrite(push));
        await hub.StartAsync();
        // The hub runs no invocation before OnConnectedAsync has finished: after this round trip the
        // connection is among its shopper's connections on the gateway and subscribed.
        await hub.InvokeAsync<JsonElement>("GetState");
        return connection;
    }

    public async Task CreateTriggerAsync(string json)
    {
        var response = await Marketer().PostAsync("/api/triggers", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public static string OfferTrigger(string id, string sku, decimal minTotal, string code = "\"code\": \"SAVE10\"") => $$"""
        { "id": "{{id}}", "name": "Cart rescue {{id}}", "priority": 10, "on": { "event": "add_to_cart" },
          "conditions": [ { "fact": "basket.total", "op": "gte", "value": {{minTotal}} },
                          { "fact": "basket.hasProduct", "op": "eq", "value": "{{sku}}" } ],
          "action": { "type": "offer", "title": "10% off", "message": "Finish your order", "discount": { "kind": "percent", "value": 10 },
                      {{code}}, "ttlSeconds": 1800 } }
        """;

    public sealed class Connection(HubConnection hub) : IAsyncDisposable
    {
        public HubConnection Hub { get; } = hub;
        public Channel<JsonElement> Pushes { get; } = Channel.CreateUnbounded<JsonElement>();

        public Task<JsonElement> TrackAsync(object shopperEvent) => Hub.InvokeAsync<JsonElement>("Track", shopperEvent);
        public Task<JsonElement> StateAsync() => Hub.InvokeAsync<JsonElement>("GetState");

        /// <summary>The next push, or null when none arrives within the timeout.</summary>
        public async Task<JsonElement?> NextPushAsync(TimeSpan? timeout = null)
        {
            using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(5));
            try
            {
                return await Pushes.Reader.ReadAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        public ValueTask DisposeAsync() => Hub.DisposeAsync();
    }
}

/// <summary>One gateway process shared by a test class; tests use their own ids.</summary>
public sealed class GatewayFixture : IAsyncLifetime
{
    public GatewayProcess Gateway { get; } = new();
    public Storefront Storefront => new(Gateway);

    public Task InitializeAsync() => Gateway.StartAsync();
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
