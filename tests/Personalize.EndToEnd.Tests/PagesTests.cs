using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Personalize.EndToEnd.Tests;

/// <summary>The gateway's pages (CONTRACT.md §5): the SDK always, the demo shop only when enabled.</summary>
public sealed class PagesTests
{
    private static readonly Dictionary<string, string> DemoOn = new() { ["Personalize:Demo:Enabled"] = "true" };
    private static readonly string[] DemoTriggerIds = ["demo-basket-offer", "demo-nps-after-purchase"];

    [Fact]
    public async Task Sdk_and_console_are_served_and_the_demo_is_absent_unless_enabled()
    {
        await using var gateway = new GatewayProcess();
        await gateway.StartAsync();
        var http = new Storefront(gateway).Client(null);

        var sdk = await http.GetAsync("/sdk/personalize.js");
        Assert.Equal(HttpStatusCode.OK, sdk.StatusCode);
        Assert.Equal("text/javascript", sdk.Content.Headers.ContentType?.MediaType);
        Assert.Contains("GetReferralLink", await sdk.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/sdk/personalize.d.ts")).StatusCode);
        var console = await http.GetAsync("/console");
        Assert.Equal("text/html", console.Content.Headers.ContentType?.MediaType);
        Assert.Contains("X-Api-Key", await console.Content.ReadAsStringAsync());

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/demo")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/demo/demo.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsJsonAsync("/demo/token", new { shopperId = "x" })).StatusCode);
        var triggers = await new Storefront(gateway).Marketer().GetFromJsonAsync<JsonElement>("/api/triggers");
        Assert.DoesNotContain(triggers.EnumerateArray(), t => t.GetProperty("id").GetString()!.StartsWith("demo-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Demo_mints_tokens_and_seeds_its_triggers_once_keeping_marketer_edits_across_restarts()
    {
        await using var gateway = new GatewayProcess(settings: DemoOn);
        await gateway.StartAsync();
        var shop = new Storefront(gateway);
        var http = shop.Client(null);

        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/demo")).StatusCode);
        var refused = await http.PostAsJsonAsync("/demo/token", new { shopperId = "" });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.True((await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("shopperId", out _));

        var minted = await http.PostAsJsonAsync("/demo/token", new { shopperId = "demo-e2e" });
        var token = (await minted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        await using (var shopper = await shop.ConnectWithTokenAsync(token))
        {
            await shopper.TrackAsync(new { id = "e-1", type = "add_to_cart", productId = "trail-runner", price = 89m, quantity = 1 });
            var push = await shopper.NextPushAsync();
            Assert.Equal("demo-basket-offer", push?.GetProperty("triggerId").GetString());
        }

        var edited = await shop.Marketer().GetFromJsonAsync<JsonElement>("/api/triggers/demo-basket-offer");
        var body = JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(edited.GetRawText())!;
        body["name"] = JsonSerializer.SerializeToElement("Renamed by a marketer");
        foreach (var bookkeeping in new[] { "version", "paused", "createdAt", "updatedAt" }) body.Remove(bookkeeping);
        (await shop.Marketer().PutAsJsonAsync("/api/triggers/demo-basket-offer", body)).EnsureSuccessStatusCode();

        await gateway.StopAsync();
        await gateway.StartAsync();
        Assert.Equal(HttpStatusCode.OK, (await http.PostAsJsonAsync("/demo/token", new { shopperId = "demo-e2e" })).StatusCode);

        var triggers = (await shop.Marketer().GetFromJsonAsync<JsonElement>("/api/triggers")).EnumerateArray().ToList();
        Assert.Equal(DemoTriggerIds, triggers.Select(t => t.GetProperty("id").GetString()).Where(id => id!.StartsWith("demo-", StringComparison.Ordinal)).Order());
        Assert.Equal("Renamed by a marketer", triggers.Single(t => t.GetProperty("id").GetString() == "demo-basket-offer").GetProperty("name").GetString());
    }
}
