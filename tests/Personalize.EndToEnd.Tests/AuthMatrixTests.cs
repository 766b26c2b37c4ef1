using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static Personalize.EndToEnd.Tests.Storefront;

namespace Personalize.EndToEnd.Tests;

/// <summary>A gateway logging at Information, with limits out of the way of a test that knocks on every door.</summary>
public sealed class LoudGatewayFixture : IAsyncLifetime
{
    public GatewayProcess Gateway { get; } = new(settings: new Dictionary<string, string>
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Information",
        // An operator asking for request lines explicitly still must not get tokens from them.
        ["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Information",
        ["Personalize:Limits:AnonymousRequestsPerSecondPerAddress"] = "100000",
        ["Personalize:Limits:AnonymousRequestBurstPerAddress"] = "100000",
    });

    public Storefront Storefront => new(Gateway);
    public Task InitializeAsync() => Gateway.StartAsync();
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// Who may call what (SECURITY.md): every HTTP route with every kind of wrong credential, and every hub
/// method with what a hostile browser could send.
/// </summary>
public sealed class AuthMatrixTests(LoudGatewayFixture fixture) : IClassFixture<LoudGatewayFixture>
{
    private enum Needs { Marketer, Storefront, Either }

    private static readonly (HttpMethod Method, string Path, string? Body, Needs Needs)[] Routes =
    [
        (HttpMethod.Get, "/api/triggers", null, Needs.Marketer),
        (HttpMethod.Post, "/api/triggers", "{}", Needs.Marketer),
        (HttpMethod.Get, "/api/triggers/matrix", null, Needs.Marketer),
        (HttpMethod.Put, "/api/triggers/matrix", "{}", Needs.Marketer),
        (HttpMethod.Delete, "/api/triggers/matrix", null, Needs.Marketer),
        (HttpMethod.Post, "/api/triggers/matrix/pause", null, Needs.Marketer),
        (HttpMethod.Post, "/api/triggers/matrix/resume", null, Needs.Marketer),
        (HttpMethod.Post, "/api/triggers/simulate", "{}", Needs.Marketer),
        (HttpMethod.Get, "/api/triggers/matrix/stats", null, Needs.Marketer),
        (HttpMethod.Get, "/api/referral-program", null, Needs.Marketer),
        (HttpMethod.Put, "/api/referral-program", """{"enabled":"not a boolean"}""", Needs.Marketer),
        (HttpMethod.Get, "/api/stats/referrals", null, Needs.Marketer),
        (HttpMethod.Get, "/api/stats/nps", null, Needs.Marketer),
        (HttpMethod.Get, "/api/shoppers/matrix", null, Needs.Marketer),
        (HttpMethod.Delete, "/api/shoppers/matrix", null, Needs.Marketer),
        (HttpMethod.Get, "/api/products/matrix/also-bought", null, Needs.Either),
        (HttpMethod.Get, "/api/products/trending", null, Needs.Either),
        (HttpMethod.Post, "/api/shopper-tokens", "{}", Needs.Storefront),
        (HttpMethod.Post, "/api/events", "{}", Needs.Storefront),
        (HttpMethod.Post, "/api/identities", "{}", Needs.Storefront),
    ];

    private GatewayProcess Gateway => fixture.Gateway;
    private Storefront Shop => fixture.Storefront;

    private static long In(TimeSpan t) => DateTimeOffset.UtcNow.Add(t).ToUnixTimeSeconds();

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body, string? apiKey = null, string? bearer = null)
    {
        using var http = new HttpClient { BaseAddress = new Uri(Gateway.BaseUrl) };
        using var request = new HttpRequestMessage(method, path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (apiKey is not null) request.Headers.Add("X-Api-Key", apiKey);
        if (bearer is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        return await http.SendAsync(request);
    }

    [Fact]
    public async Task Every_route_refuses_every_wrong_credential_and_admits_its_own_key()
    {
        var shopperToken = await Shop.TokenAsync(NewId("s"));
        var failures = new List<string>();
        foreach (var (method, path, body, needs) in Routes)
        {
            var wrong = new List<(string What, string? Key, string? Bearer)>
            {
                ("no key", null, null),
                ("wrong key", "mk-" + Guid.NewGuid().ToString("N"), null),
                ("shopper token", null, shopperToken),
                ("shopper token as key", shopperToken, null),
                ("empty key", "", null),
            };
            if (needs == Needs.Marketer) wrong.Add(("storefront key", Gateway.StorefrontKey, null));
            if (needs == Needs.Storefront) wrong.Add(("marketer key", Gateway.MarketerKey, null));
            foreach (var (what, key, bearer) in wrong)
            {
                using var response = await SendAsync(method, path, body, key, bearer);
                if (response.StatusCode != HttpStatusCode.Unauthorized
                    || response.Content.Headers.ContentType?.MediaType != "application/problem+json")
                    failures.Add($"{method} {path} with {what}: {(int)response.StatusCode} {response.Content.Headers.ContentType}");
            }

            var rightKeys = needs switch
            {
                Needs.Marketer => [Gateway.MarketerKey],
                Needs.Storefront => [Gateway.StorefrontKey],
                _ => new[] { Gateway.MarketerKey, Gateway.StorefrontKey },
            };
            foreach (var key in rightKeys)
            {
                using var response = await SendAsync(method, path, body, key);
                if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden || (int)response.StatusCode >= 500)
                    failures.Add($"{method} {path} with its own key: {(int)response.StatusCode}");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task The_hub_refuses_missing_expired_forged_unsigned_and_key_credentials()
    {
        var sub = NewId("s");
        var refused = new Dictionary<string, Func<HttpRequestMessage, Task>>
        {
            ["no token"] = _ => Task.CompletedTask,
            ["expired"] = r => Bearer(r, Jwt.Sign(new { sub, exp = In(TimeSpan.FromMinutes(-10)) }, Gateway.SigningKey)),
            ["forged signature"] = r => Bearer(r, Jwt.Sign(new { sub, exp = In(TimeSpan.FromHours(1)) }, Gateway.SigningKey + "x")),
            ["alg none"] = r => Bearer(r, Jwt.Unsigned(new { sub, exp = In(TimeSpan.FromHours(1)) })),
            ["no expiry"] = r => Bearer(r, Jwt.Sign(new { sub }, Gateway.SigningKey)),
            ["garbage"] = r => Bearer(r, "not.a.jwt"),
            ["marketer key"] = r => { r.Headers.Add("X-Api-Key", Gateway.MarketerKey); return Task.CompletedTask; },
            ["storefront key"] = r => { r.Headers.Add("X-Api-Key", Gateway.StorefrontKey); return Task.CompletedTask; },
        };
        foreach (var (what, credential) in refused)
        {
            using var http = new HttpClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, Gateway.BaseUrl + "/hubs/shopper/negotiate?negotiateVersion=1");
            await credential(request);
            using var response = await http.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{what}: {(int)response.StatusCode}");
        }

        var forged = Jwt.Sign(new { sub, exp = In(TimeSpan.FromHours(1)) }, Gateway.SigningKey + "x");
        await Assert.ThrowsAnyAsync<HttpRequestException>(() => Shop.ConnectWithTokenAsync(forged));
        // A token is a hub credential only: the query-string form does not open the HTTP API either.
        var token = await Shop.TokenAsync(sub);
        using var viaQuery = await SendAsync(HttpMethod.Get, "/api/triggers?access_token=" + token, null);
        Assert.Equal(HttpStatusCode.Unauthorized, viaQuery.StatusCode);

        static Task Bearer(HttpRequestMessage r, string token)
        {
            r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_shopper_connection_acts_only_as_itself_sends_no_server_events_and_cannot_merge()
    {
        var (me, victim) = (NewId("s"), NewId("victim"));
        await using var connection = await Shop.ConnectAsync(me);

        // Method by method: what the hub offers, with an attacker's arguments.
        await connection.TrackAsync(new { id = NewId("e"), type = "page_view", shopperId = victim, sub = victim });
        Assert.Equal(me, (await connection.StateAsync()).GetProperty("shopperId").GetString());
        await Assert.ThrowsAsync<HubException>(() => connection.Hub.InvokeAsync<JsonElement>("GetState", victim));
        await Assert.ThrowsAsync<HubException>(() => connection.Hub.InvokeAsync<JsonElement>("GetReferralLink", victim));
        var refund = await Assert.ThrowsAsync<HubException>(() => connection.TrackAsync(new { id = NewId("e"), type = "refund", orderId = "o-1" }));
        Assert.Contains("server-only", refund.Message);
        foreach (var method in new[] { "Merge", "MergeIdentity", "Identify", "TrackFor", "OnConnectedAsync", "Dispose" })
            await Assert.ThrowsAsync<HubException>(() => connection.Hub.InvokeAsync<JsonElement>(method, victim, me));

        // Merges need the storefront key: the browser's token is refused, header or query.
        var token = await Shop.TokenAsync(me);
        var merge = $$"""{"anonymousId":"{{me}}","customerId":"{{victim}}"}""";
        using (var byBearer = await SendAsync(HttpMethod.Post, "/api/identities", merge, bearer: token))
            Assert.Equal(HttpStatusCode.Unauthorized, byBearer.StatusCode);
        using (var byQuery = await SendAsync(HttpMethod.Post, "/api/identities?access_token=" + token, merge))
            Assert.Equal(HttpStatusCode.Unauthorized, byQuery.StatusCode);

        using var victimView = await SendAsync(HttpMethod.Get, "/api/shoppers/" + victim, null, Gateway.MarketerKey);
        Assert.Equal(HttpStatusCode.NotFound, victimView.StatusCode);
        Assert.Equal(me, (await connection.StateAsync()).GetProperty("shopperId").GetString());
    }

    [Fact]
    public async Task Keys_and_tokens_never_reach_the_log()
    {
        var sub = NewId("s");
        var token = await Shop.TokenAsync(sub);
        var badTokens = new[]
        {
            Jwt.Sign(new { sub, exp = In(TimeSpan.FromMinutes(-10)) }, Gateway.SigningKey),
            Jwt.Sign(new { sub, exp = In(TimeSpan.FromHours(1)) }, Gateway.SigningKey + "x"),
            Jwt.Unsigned(new { sub, exp = In(TimeSpan.FromHours(1)) }),
        };
        await using (var connection = await Shop.ConnectWithTokenAsync(token))
            await connection.TrackAsync(new { id = NewId("e"), type = "page_view" });
        foreach (var bad in badTokens)
            await Assert.ThrowsAnyAsync<Exception>(() => Shop.ConnectWithTokenAsync(bad));
        // Browsers cannot set headers on WebSockets, so the SDK puts the token in the URL: the likeliest leak.
        foreach (var t in badTokens.Prepend(token))
            await OpenSocketWithQueryTokenAsync(t);
        (await SendAsync(HttpMethod.Get, "/api/triggers", null, Gateway.MarketerKey)).Dispose();
        (await SendAsync(HttpMethod.Get, "/api/triggers", null, Gateway.StorefrontKey)).Dispose();
        (await SendAsync(HttpMethod.Post, "/api/shopper-tokens", "{}", Gateway.MarketerKey)).Dispose();
        (await SendAsync(HttpMethod.Get, "/api/triggers", null, bearer: token)).Dispose();
        await Task.Delay(1500); // the console logger writes on its own thread

        var output = Gateway.Output;
        Assert.Contains("was challenged", output); // Information logs are really on
        var secrets = new List<string> { Gateway.MarketerKey, Gateway.StorefrontKey, Gateway.SigningKey, token };
        secrets.AddRange(badTokens);
        // A token's signature alone is as good as a leak of the token when its claims are guessable.
        secrets.AddRange(new[] { token }.Concat(badTokens).Select(t => t.Split('.')[2]).Where(s => s.Length > 0));
        foreach (var secret in secrets)
            Assert.False(output.Contains(secret, StringComparison.Ordinal), $"a secret ({secret[..6]}…) appears in the gateway's output");
    }

    private async Task OpenSocketWithQueryTokenAsync(string token)
    {
        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await socket.ConnectAsync(new Uri(Gateway.BaseUrl.Replace("http://", "ws://") + "/hubs/shopper?access_token=" + token), timeout.Token);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
        }
        catch (WebSocketException)
        {
            // A refused token: 401 before the upgrade.
        }
    }
}
